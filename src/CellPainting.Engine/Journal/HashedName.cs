namespace CellPainting.Engine.Journal;

/// <summary>A logical file name with the content hash it had.</summary>
public readonly record struct HashedName(string Name, string Hash);
