namespace CellPainting.Engine.Items;

/// <summary>The engine's side of one item's build: its inputs' bytes (each read once) and atomic output writing.</summary>
public interface IBuildContext
{
    /// <summary>The bytes of input <paramref name="name"/>, exactly those whose hash is in the item's fingerprint.</summary>
    byte[] ReadInput(string name);

    /// <summary>Writes output <paramref name="name"/> to a temporary file, hashes it, and renames it into place.</summary>
    void WriteOutput(string name, Action<Stream> write);
}
