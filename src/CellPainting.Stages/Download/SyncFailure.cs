namespace CellPainting.Stages.Download;

/// <summary>Something the sync could not do; any failure means the caller must exit non-zero.</summary>
/// <param name="Unit">Name of the sync unit.</param>
/// <param name="Key">Full S3 key (or the unit prefix when its listing failed).</param>
/// <param name="Reason">What went wrong, for a human; never contains credentials.</param>
/// <param name="Attempts">Requests made before giving up (0 when nothing was requested, e.g. a refused key).</param>
public sealed record SyncFailure(string Unit, string Key, string Reason, int Attempts);
