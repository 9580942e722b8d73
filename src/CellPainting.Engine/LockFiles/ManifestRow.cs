namespace CellPainting.Engine.LockFiles;

/// <summary>One item's fields in a <see cref="ManifestTable"/> (the id excluded), and its size when the manifest has one.</summary>
public sealed record ManifestRow(IReadOnlyList<string> Fields, long? Size);
