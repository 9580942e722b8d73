namespace CellPainting.Engine.LockFiles;

/// <summary>A target's recipe version before and after; null on the side that has no such target.</summary>
public sealed record RecipeChange(int? Old, int? New);
