namespace CellPainting.Stages.Download;

/// <summary>
/// An object whose local copy is complete after the sync, with the file's stat so that a stat cache can adopt the
/// SHA-256 without re-reading the file.
/// </summary>
/// <param name="Key">Full S3 key.</param>
/// <param name="RelativeKey">Key below the unit prefix (also the path below the unit's local folder, '/'-separated).</param>
/// <param name="LocalPath">Absolute local path.</param>
/// <param name="Record">ETag, size and SHA-256 to persist.</param>
/// <param name="LastWriteTimeUtc">Modification time of the local file after the sync.</param>
/// <param name="Downloaded">True when this sync fetched it; false when the local copy was already current.</param>
public sealed record SyncedObject(
    string Key,
    string RelativeKey,
    string LocalPath,
    RemoteObjectRecord Record,
    DateTime LastWriteTimeUtc,
    bool Downloaded);
