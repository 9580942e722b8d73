namespace CellPainting.Engine.LockFiles;

/// <summary>
/// One group's line in the lock (a plate, say): how many items, and a digest of its item manifest, so a change
/// to one item changes one digest here and one line in the manifest.
/// </summary>
public sealed record GroupLock(int Items, string Digest, IReadOnlyDictionary<string, string> Attributes);
