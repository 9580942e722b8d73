namespace CellPainting.Engine.Items;

/// <summary>The engine's side of one item's build: its inputs' bytes (each read once) and atomic output writing.</summary>
public interface IBuildContext
{
    /// <summary>
    /// The bytes of input <paramref name="name"/>, exactly those whose hash is in the item's fingerprint. They are lent
    /// until the stage's Build (or Prepare) returns, when their buffer goes back to a pool: copy what must outlive it.
    /// </summary>
    ReadOnlyMemory<byte> ReadInput(string name);

    /// <summary>Where input <paramref name="name"/>'s bytes come from, for messages: its path, or its object when fetched.</summary>
    string SourceOf(string name);

    /// <summary>Writes output <paramref name="name"/> to a temporary file, hashes it, and renames it into place.</summary>
    void WriteOutput(string name, Action<Stream> write);

    /// <summary>
    /// A value shared with the other stages building this item in the same run (see StageRunner.RunTogether),
    /// created by the first that asks and dropped when the worker is done with the item. The key must name what
    /// the value is made from, since only the item id ties the stages' items together.
    /// </summary>
    T Shared<T>(string key, Func<T> create)
        where T : class;
}
