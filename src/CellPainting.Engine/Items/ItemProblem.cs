namespace CellPainting.Engine.Items;

/// <summary>An item a stage found but cannot build (an incomplete site, a bad file name): reported as a failure.</summary>
public sealed record ItemProblem(string ItemId, string Group, string Message);
