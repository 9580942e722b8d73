namespace CellPainting.Engine.Items;

/// <summary>The engine's side of one item's build: its inputs' bytes (each read once) and atomic output writing.</summary>
public interface IBuildContext
{
    /// <summary>
    /// Hands the bytes of input <paramref name="name"/>, exactly those whose hash is in the item's fingerprint, to
    /// <paramref name="read"/> and returns what it makes of them. The bytes are lent for the call only: their buffer
    /// goes back to a pool right after, so a stage reading thousands of inputs holds one at a time.
    /// </summary>
    T ReadInput<T>(string name, Func<ReadOnlySpan<byte>, T> read);

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
