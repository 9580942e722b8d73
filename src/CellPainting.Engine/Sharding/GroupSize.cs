namespace CellPainting.Engine.Sharding;

/// <summary>A group of a plan (a plate, say) and how many items it holds: what a partition balances.</summary>
public sealed record GroupSize(string Group, int Items);
