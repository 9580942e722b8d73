using CellPainting.Engine.Journal;

namespace CellPainting.Engine.LockFiles;

/// <summary>One item's line in a group manifest.</summary>
public sealed record ManifestLine(string ItemId, string Fingerprint, IReadOnlyList<HashedName> Outputs);
