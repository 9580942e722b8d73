using System.Collections.Concurrent;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Caching;

/// <summary>
/// The engine's client of a shared cache, laid out as Bazel's remote cache: an entry per item under the digest of its
/// id and fingerprint (<c>ac/</c>) and a blob per output under its SHA-256 (<c>cas/</c>). The id is in the key because
/// the fingerprint alone does not tell items apart whose inputs are the same (the split strategies of one dataset). Outputs are placed only once every blob of the
/// entry checked out against it; uploads put the blobs first and the entry last, so an entry never names a missing
/// blob. After the first failure to reach the store the run goes on without it, with one warning. Uploads run in the
/// background, a few at a time, so a worker (or a GPU's batch consumer) never waits on the network for more than a
/// free upload slot; <see cref="Flush"/> waits for them before a run reports.
/// </summary>
public sealed class ItemCache : IDisposable
{
    // Enough to hide a store's latency behind building; the slot a producer waits for bounds the open files and requests.
    private const int ConcurrentUploads = 4;

    private readonly ICacheStore store;
    private readonly SemaphoreSlim uploadSlots = new(ConcurrentUploads);
    private readonly ConcurrentDictionary<Task, byte> uploads = new();
    private readonly ConcurrentQueue<string> notes = new();
    private readonly ConcurrentDictionary<string, byte> badEntries = new(StringComparer.Ordinal);
    private int unavailable;

    public ItemCache(ICacheStore store, CacheMode mode)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (mode == CacheMode.Off)
        {
            throw new ArgumentException("A cache that is off has no client; pass none.", nameof(mode));
        }

        this.store = store;
        Mode = mode;
    }

    public CacheMode Mode { get; }

    public string Location => store.Location;

    /// <summary>False once a call to the store failed: the rest of the run builds locally.</summary>
    public bool IsAvailable => Volatile.Read(ref unavailable) == 0;

    public static string EntryKey(string itemId, string fingerprint) =>
        KeyIn("ac", ContentHash.OfText($"item {itemId}\nfingerprint {fingerprint}\n"));

    public static string BlobKey(string sha256) => KeyIn("cas", sha256);

    /// <summary>Fails with <see cref="CacheUnavailableException"/> when the store does not answer (for a required cache).</summary>
    public void Probe() => store.Probe();

    /// <summary>The warnings and bad entries met since the last call, in order (one line each).</summary>
    public IReadOnlyList<string> TakeNotes()
    {
        var taken = new List<string>();
        while (notes.TryDequeue(out string? note))
        {
            taken.Add(note);
        }

        return taken;
    }

    /// <summary>Whether an entry for this item is in the cache and describes it (a GET of the entry; no blob is read).</summary>
    internal bool Has(StaleItem stale) => Find(stale) is not null;

    /// <summary>
    /// Places the item's outputs from the cache through <paramref name="context"/> (so they are stamped as if built)
    /// and returns the bytes fetched; null when the item must be built here: no entry, a bad one, or no store.
    /// </summary>
    internal long? TryFetch(StaleItem stale, IBuildContext context)
    {
        CacheEntry? entry = Find(stale);
        if (entry is null)
        {
            return null;
        }

        // Every blob is checked before the first is placed: a bad second blob must not leave a fetched first beside it.
        var blobs = new List<(string Name, byte[] Bytes)>(entry.Outputs.Count);
        foreach (CachedOutput output in entry.Outputs)
        {
            if (!TryCall(() => store.TryGet(BlobKey(output.Sha256)), out byte[]? bytes))
            {
                return null;
            }

            string? problem = bytes is null ? "missing"
                : bytes.LongLength != output.Size ? $"{bytes.LongLength} bytes where the entry says {output.Size}"
                : ContentHash.Of(bytes) != output.Sha256 ? "its content does not hash to its name"
                : null;
            if (problem is not null)
            {
                ReportBad(stale, $"blob {output.Sha256} of output {output.Name} is {problem}");
                return null;
            }

            blobs.Add((output.Name, bytes!));
        }

        long total = 0;
        foreach ((string name, byte[] bytes) in blobs)
        {
            context.WriteOutput(name, stream => stream.Write(bytes));
            total += bytes.LongLength;
        }

        return total;
    }

    /// <summary>
    /// Queues the upload of a freshly built item in read-write mode (see <see cref="Upload"/>); waits only for a free
    /// upload slot. Does nothing in read mode.
    /// </summary>
    internal void Store(StaleItem stale, IReadOnlyList<HashedName> outputs)
    {
        if (Mode != CacheMode.ReadWrite || !IsAvailable)
        {
            return;
        }

        uploadSlots.Wait();
        Task upload = Task.Run(() =>
        {
            try
            {
                Upload(stale, outputs);
            }
            catch (Exception exception)
            {
                // In the background nothing else would hear of it: the item is built and recorded, only not shared.
                notes.Enqueue($"cache: {stale.Stage.Name} {stale.Item.Id} not uploaded: {exception.GetType().Name}: {exception.Message}");
            }
            finally
            {
                uploadSlots.Release();
            }
        });
        uploads.TryAdd(upload, 0);
        upload.ContinueWith(finished => uploads.TryRemove(finished, out _), TaskScheduler.Default);
    }

    /// <summary>Waits until every queued upload has finished (stored, or noted as not stored).</summary>
    public void Flush()
    {
        while (!uploads.IsEmpty)
        {
            Task.WaitAll([.. uploads.Keys]);
        }
    }

    /// <summary>
    /// Uploads a built item: each blob the store lacks (or that an entry was found bad for), then the entry. Never
    /// fails the item: a problem is noted and the build goes on.
    /// </summary>
    private void Upload(StaleItem stale, IReadOnlyList<HashedName> outputs)
    {
        bool replace = badEntries.ContainsKey(stale.Item.Id + "\n" + stale.KnownFingerprint);
        var cached = new List<CachedOutput>(outputs.Count);
        foreach (ItemOutput output in stale.Item.Outputs)
        {
            string hash = outputs.First(written => written.Name == output.Name).Hash;
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(output.Path);
            }
            catch (IOException exception)
            {
                notes.Enqueue($"cache: {stale.Stage.Name} {stale.Item.Id} not uploaded: {exception.Message}");
                return;
            }

            if (ContentHash.Of(bytes) != hash)
            {
                notes.Enqueue($"cache: {stale.Stage.Name} {stale.Item.Id} not uploaded: {output.Path} changed after it was written");
                return;
            }

            string key = BlobKey(hash);
            if (!TryCall(() => replace || !store.Exists(key), out bool missing) || (missing && !TryCall(() => Put(key, bytes), out _)))
            {
                return;
            }

            cached.Add(new CachedOutput(output.Name, hash, bytes.LongLength));
        }

        var entry = new CacheEntry(stale.Item.Id, stale.KnownFingerprint, stale.Stage.Name, stale.Stage.RecipeVersion, stale.Stage.Parameters.Digest, stale.Stage.Parameters.Values, cached);
        TryCall(() => Put(EntryKey(stale.Item.Id, stale.KnownFingerprint), entry.ToBytes()), out _);
    }

    /// <summary>Finishes the queued uploads, then releases the store's connections (an S3 client); a folder holds none.</summary>
    public void Dispose()
    {
        Flush();
        uploadSlots.Dispose();
        (store as IDisposable)?.Dispose();
    }

    private static string KeyIn(string store, string sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        return $"{store}/{sha256[..2]}/{sha256}";
    }

    private bool Put(string key, byte[] content)
    {
        store.Put(key, content);
        return true;
    }

    private CacheEntry? Find(StaleItem stale)
    {
        if (!TryCall(() => store.TryGet(EntryKey(stale.Item.Id, stale.KnownFingerprint)), out byte[]? content) || content is null)
        {
            return null;
        }

        CacheEntry entry;
        try
        {
            entry = CacheEntry.Parse(content);
        }
        catch (FormatException exception)
        {
            ReportBad(stale, $"the entry is unreadable: {exception.Message}");
            return null;
        }

        string? mismatch = Mismatch(entry, stale);
        if (mismatch is not null)
        {
            ReportBad(stale, mismatch);
            return null;
        }

        return entry;
    }

    private static string? Mismatch(CacheEntry entry, StaleItem stale)
    {
        if (entry.ItemId != stale.Item.Id || entry.Fingerprint != stale.KnownFingerprint)
        {
            return $"the entry is for item {entry.ItemId}, fingerprint {entry.Fingerprint}";
        }

        if (entry.Stage != stale.Stage.Name || entry.RecipeVersion != stale.Stage.RecipeVersion || entry.ParametersDigest != stale.Stage.Parameters.Digest)
        {
            return $"the entry is for stage {entry.Stage}, recipe {entry.RecipeVersion}, parameters {entry.ParametersDigest}";
        }

        IEnumerable<string> declared = stale.Item.Outputs.Select(output => output.Name).Order(StringComparer.Ordinal);
        IEnumerable<string> described = entry.Outputs.Select(output => output.Name).Order(StringComparer.Ordinal);
        return declared.SequenceEqual(described, StringComparer.Ordinal)
            ? null
            : $"the entry describes outputs {string.Join(", ", described)}, the item declares {string.Join(", ", declared)}";
    }

    private void ReportBad(StaleItem stale, string why)
    {
        badEntries.TryAdd(stale.Item.Id + "\n" + stale.KnownFingerprint, 0);
        string replaced = Mode == CacheMode.ReadWrite ? "; it is replaced once built" : string.Empty;
        notes.Enqueue($"cache: bad entry {EntryKey(stale.Item.Id, stale.KnownFingerprint)} for {stale.Stage.Name} {stale.Item.Id}: {why}; building it here{replaced}");
    }

    /// <summary>Calls the store unless it already failed; on its first failure notes one warning and stops using it.</summary>
    private bool TryCall<T>(Func<T> call, out T result)
    {
        result = default!;
        if (!IsAvailable)
        {
            return false;
        }

        try
        {
            result = call();
            return true;
        }
        catch (CacheUnavailableException exception)
        {
            if (Interlocked.Exchange(ref unavailable, 1) == 0)
            {
                notes.Enqueue($"warning: cache {store.Location} is unreachable ({exception.Message}); building locally without it for the rest of this run");
            }

            return false;
        }
    }
}
