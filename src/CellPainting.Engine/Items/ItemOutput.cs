namespace CellPainting.Engine.Items;

/// <summary>One output file of an item: a logical name (stable across machines) and where it goes on this one.</summary>
public sealed record ItemOutput(string Name, string Path);
