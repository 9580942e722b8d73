namespace CellPainting.Engine.LockFiles;

/// <summary>What a group contributes to the lock: its committed manifest, its item count and extra attributes.</summary>
public sealed record GroupContent(byte[] Manifest, int Items, IReadOnlyDictionary<string, string> Attributes);
