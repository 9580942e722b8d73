using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Planning;

/// <summary>An item's inputs with their hashes, and the bytes of those that had to be read to hash them.</summary>
public sealed class ResolvedInputs
{
    private readonly WorkItem item;
    private readonly Dictionary<string, byte[]> loaded;
    private readonly StatCache statCache;

    internal ResolvedInputs(WorkItem item, IReadOnlyList<HashedName> hashes, IReadOnlyList<FileStamp> stamps, Dictionary<string, byte[]> loaded, StatCache statCache)
    {
        this.item = item;
        Hashes = hashes;
        Stamps = stamps;
        this.loaded = loaded;
        this.statCache = statCache;
    }

    public IReadOnlyList<HashedName> Hashes { get; }

    /// <summary>The stamps the hashes were taken at, in the item's input order: what a build record's stamps digest covers.</summary>
    internal IReadOnlyList<FileStamp> Stamps { get; }

    /// <summary>
    /// The bytes of input <paramref name="name"/>. An input known only from the stat cache is read now and must still
    /// hash to the fingerprinted value, so an output is never built from other bytes than the ones it is recorded with.
    /// </summary>
    public byte[] Read(string name)
    {
        if (loaded.Remove(name, out byte[]? bytes))
        {
            return bytes;
        }

        ItemInput input = item.Inputs.FirstOrDefault(candidate => candidate.Name == name)
            ?? throw new ArgumentException($"Item {item.Id} has no input named '{name}'.", nameof(name));
        string expected = Hashes.First(hash => hash.Name == name).Hash;
        FileStamp stamp = FileStatReader.TryRead(input.Path) ?? throw new ItemFailedException($"input {name} vanished: {input.Path}");
        bytes = InputResolver.ReadStable(input.Path, stamp);
        string actual = ContentHash.Of(bytes);
        if (actual != expected)
        {
            throw new ItemFailedException($"input {name} changed during the build: {input.Path}");
        }

        statCache.Record(input.Path, stamp, actual);
        return bytes;
    }
}
