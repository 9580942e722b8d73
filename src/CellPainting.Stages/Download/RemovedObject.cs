namespace CellPainting.Stages.Download;

/// <summary>An object recorded by the previous sync that the remote listing no longer has.</summary>
/// <param name="Key">Full S3 key.</param>
/// <param name="RelativeKey">Key below the unit prefix.</param>
/// <param name="LocalCopyDeleted">True when the sync deleted the local file (only if asked to).</param>
public sealed record RemovedObject(string Key, string RelativeKey, bool LocalCopyDeleted);
