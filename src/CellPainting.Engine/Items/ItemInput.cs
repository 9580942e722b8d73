namespace CellPainting.Engine.Items;

/// <summary>One input file of an item: a logical name (stable across machines) and where it is on this one.</summary>
public sealed record ItemInput(string Name, string Path);
