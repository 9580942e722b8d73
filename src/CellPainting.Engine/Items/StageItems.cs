namespace CellPainting.Engine.Items;

/// <summary>
/// What a stage's discovery found: items to build, items that cannot be built (failures), and items it
/// deliberately leaves out (reported, never silently dropped, but not failures).
/// </summary>
public sealed record StageItems(IReadOnlyList<WorkItem> Items, IReadOnlyList<ItemProblem> Problems, IReadOnlyList<ItemProblem> Skipped);
