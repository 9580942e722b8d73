using CellPainting.Engine.IO;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Planning;

/// <summary>
/// An item's inputs with their hashes, and the bytes of those that had to be read to hash them. Inputs absent here are
/// fetched from their <see cref="IRemoteInput"/> only when read (all of the item's at once, in parallel), and checked
/// against the digest they stood for. Bytes read are lent to the reader for its call only.
/// </summary>
public sealed class ResolvedInputs
{
    private readonly WorkItem item;
    private readonly HashedName[] hashes;
    private readonly FileStamp?[] stamps;
    private readonly Dictionary<string, InputBytes> loaded;
    private readonly bool[] remote;
    private readonly StatCache statCache;

    internal ResolvedInputs(WorkItem item, HashedName[] hashes, FileStamp?[] stamps, Dictionary<string, InputBytes> loaded, bool[] remote, StatCache statCache)
    {
        this.item = item;
        this.hashes = hashes;
        this.stamps = stamps;
        this.loaded = loaded;
        this.remote = remote;
        this.statCache = statCache;
    }

    /// <summary>Each input's hash, in declaration order; an input in <see cref="Unknown"/> has an empty one until fetched.</summary>
    public IReadOnlyList<HashedName> Hashes => hashes;

    /// <summary>The inputs absent here whose digest nobody recorded: learnt only by fetching them.</summary>
    public IReadOnlyList<string> Unknown => hashes.Where(hash => hash.Hash.Length == 0).Select(hash => hash.Name).ToArray();

    /// <summary>True when every input's hash is known, so the item's fingerprint can be computed.</summary>
    public bool IsComplete => Array.TrueForAll(hashes, hash => hash.Hash.Length > 0);

    /// <summary>Fetches the inputs whose digest is unknown, so their hashes (and the fingerprint) are known; their bytes are kept for the build.</summary>
    public void FetchUnknown() => FetchRemote(index => hashes[index].Hash.Length == 0);

    /// <summary>
    /// The stamps the hashes were taken at, in the item's input order: what a build record's stamps digest covers; null
    /// while an input is not a file here (a remote one fetched into memory), which no stamp can vouch for.
    /// </summary>
    internal IReadOnlyList<FileStamp>? Stamps => Array.TrueForAll(stamps, stamp => stamp.HasValue) ? Array.ConvertAll(stamps, stamp => stamp!.Value) : null;

    /// <summary>
    /// The bytes of input <paramref name="name"/>. An input known only from the stat cache is read now and must still
    /// hash to the fingerprinted value, so an output is never built from other bytes than the ones it is recorded with;
    /// a remote input likewise must hash to the digest it stood for. The bytes go back to their pool once
    /// <paramref name="read"/> returns: an input read twice is read (or fetched) twice.
    /// </summary>
    public T Read<T>(string name, Func<ReadOnlySpan<byte>, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        InputBytes bytes = Take(name);
        try
        {
            return read(bytes.Span);
        }
        finally
        {
            bytes.Return();
        }
    }

    /// <summary>Hands back the buffers of bytes read to hash inputs the build never asked for (an item up to date, a stage reading a few).</summary>
    public void Release()
    {
        foreach (InputBytes bytes in loaded.Values)
        {
            bytes.Return();
        }

        loaded.Clear();
    }

    private InputBytes Take(string name)
    {
        if (loaded.Remove(name, out InputBytes? bytes))
        {
            return bytes;
        }

        int index = IndexOf(name);
        ItemInput input = item.Inputs[index];
        if (remote[index])
        {
            // A stage reads a site's channels one after another: fetch the item's other remote inputs alongside.
            FetchRemote(other => remote[other] && !loaded.ContainsKey(hashes[other].Name));
            return loaded.Remove(name, out bytes) ? bytes : throw new InvalidOperationException($"Input {name} of item {item.Id} was not fetched.");
        }

        string expected = hashes[index].Hash;
        FileStamp stamp = FileStatReader.TryRead(input.Path) ?? throw new ItemFailedException($"input {name} vanished: {input.Path}");
        bytes = InputBytes.ReadStable(input.Path, stamp);
        string actual = ContentHash.Of(bytes.Span);
        if (actual != expected)
        {
            bytes.Return();
            throw new ItemFailedException($"input {name} changed during the build: {input.Path}");
        }

        statCache.Record(input.Path, stamp, actual);
        return bytes;
    }

    /// <summary>Where input <paramref name="name"/>'s bytes come from: its path, or its object when it was not here to read.</summary>
    public string SourceOf(string name)
    {
        int index = IndexOf(name);
        return remote[index] ? item.Inputs[index].Remote!.Location : item.Inputs[index].Path;
    }

    private int IndexOf(string name)
    {
        int index = Array.FindIndex(hashes, hash => hash.Name == name);
        return index >= 0 ? index : throw new ArgumentException($"Item {item.Id} has no input named '{name}'.", nameof(name));
    }

    private void FetchRemote(Predicate<int> which)
    {
        int[] indexes = Enumerable.Range(0, hashes.Length).Where(index => remote[index] && which(index)).ToArray();
        if (indexes.Length == 0)
        {
            return;
        }

        // One blocked worker thread per item; the transfers themselves are asynchronous, so workers do not starve the pool.
        byte[][] fetched = Task.WhenAll(indexes.Select(FetchAsync)).GetAwaiter().GetResult();
        for (int position = 0; position < indexes.Length; position++)
        {
            loaded[hashes[indexes[position]].Name] = InputBytes.Own(fetched[position]);
        }
    }

    private async Task<byte[]> FetchAsync(int index)
    {
        ItemInput input = item.Inputs[index];
        IRemoteInput source = input.Remote!;
        RemoteBytes fetched;
        try
        {
            fetched = await source.FetchAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not ItemFailedException)
        {
            throw new ItemFailedException($"input {input.Name}: cannot fetch {source.Location}: {exception.Message}", exception);
        }

        string expected = hashes[index].Hash;
        if (fetched.Bytes.LongLength != source.Size)
        {
            throw new ItemFailedException($"input {input.Name}: {source.Location} gave {fetched.Bytes.LongLength} bytes where its listing says {source.Size}");
        }

        if (expected.Length > 0 && fetched.Sha256 != expected)
        {
            throw new ItemFailedException($"input {input.Name}: {source.Location} has SHA-256 {fetched.Sha256}, not the {expected} recorded for it; nothing was built from it");
        }

        hashes[index] = new HashedName(input.Name, fetched.Sha256);
        if (source.KeepLocal)
        {
            AtomicFile.WriteAllBytes(input.Path, fetched.Bytes);
            if (FileStatReader.TryRead(input.Path) is FileStamp stamp)
            {
                statCache.Record(input.Path, stamp, fetched.Sha256);
                stamps[index] = stamp;
            }
        }

        return fetched.Bytes;
    }
}
