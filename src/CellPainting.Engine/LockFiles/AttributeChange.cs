namespace CellPainting.Engine.LockFiles;

/// <summary>A group attribute in the lock (a source URL, a byte total) before and after; null where one side has none.</summary>
public sealed record AttributeChange(string Group, string Key, string? Old, string? New);
