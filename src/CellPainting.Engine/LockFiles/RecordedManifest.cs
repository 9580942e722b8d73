using CellPainting.Engine.State;

namespace CellPainting.Engine.LockFiles;

/// <summary>One group's entry in <see cref="RecordedManifests"/>: the key of its records, its manifest's digest, the stamp of the file holding it.</summary>
internal readonly record struct RecordedManifest(string Key, string Digest, FileStamp Stamp);
