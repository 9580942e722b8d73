using CellPainting.Engine.IO;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Execution;

/// <summary>Gives a stage its item's inputs and takes its outputs: hashed as written, renamed into place, stamped.</summary>
internal sealed class ItemBuildContext : IBuildContext
{
    private readonly WorkItem item;
    private readonly ResolvedInputs inputs;
    private readonly StatCache statCache;
    private readonly ItemScratch scratch;
    private readonly Dictionary<string, (string Hash, FileStamp Stamp)> written = new(StringComparer.Ordinal);

    public ItemBuildContext(WorkItem item, ResolvedInputs inputs, StatCache statCache, ItemScratch scratch)
    {
        this.item = item;
        this.inputs = inputs;
        this.statCache = statCache;
        this.scratch = scratch;
    }

    public T ReadInput<T>(string name, Func<ReadOnlySpan<byte>, T> read) => inputs.Read(name, read);

    public string SourceOf(string name) => inputs.SourceOf(name);

    public T Shared<T>(string key, Func<T> create)
        where T : class => scratch.Get(key, create);

    public void WriteOutput(string name, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ItemOutput output = item.Outputs.FirstOrDefault(candidate => candidate.Name == name)
            ?? throw new ArgumentException($"Item {item.Id} declares no output named '{name}'.", nameof(name));
        string hash = string.Empty;
        AtomicFile.Write(output.Path, stream =>
        {
            using var hashing = new HashingStream(stream);
            write(hashing);
            hash = hashing.FinishHash();
        });
        FileStamp stamp = FileStatReader.TryRead(output.Path) ?? throw new IOException($"{output.Path} vanished right after it was written.");
        statCache.Record(output.Path, stamp, hash);
        written[name] = (hash, stamp);
    }

    /// <summary>The outputs' hashes in declaration order; every declared output must have been written.</summary>
    public IReadOnlyList<HashedName> WrittenOutputs() =>
        item.Outputs.Select(output => new HashedName(output.Name, Written(output).Hash)).ToArray();

    /// <summary>The stamps the outputs were written with, in declaration order: with the inputs', what the record's stamps digest covers.</summary>
    public IReadOnlyList<FileStamp> WrittenStamps() => item.Outputs.Select(output => Written(output).Stamp).ToArray();

    private (string Hash, FileStamp Stamp) Written(ItemOutput output) =>
        written.TryGetValue(output.Name, out (string Hash, FileStamp Stamp) entry)
            ? entry
            : throw new InvalidOperationException($"Stage did not write output '{output.Name}' of item {item.Id}.");
}
