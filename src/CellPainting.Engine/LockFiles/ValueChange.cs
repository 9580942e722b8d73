namespace CellPainting.Engine.LockFiles;

/// <summary>A named value (a parameter) before and after; null where one side has none.</summary>
public sealed record ValueChange(string Key, string? Old, string? New);
