namespace CellPainting.Engine.Items;

/// <summary>
/// One input file of an item: a logical name (stable across machines), where it is on this one, and optionally where
/// it can be fetched from when it is not there (<see cref="IRemoteInput"/>).
/// </summary>
public sealed record ItemInput(string Name, string Path, IRemoteInput? Remote = null);
