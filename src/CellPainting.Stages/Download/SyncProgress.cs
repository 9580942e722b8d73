namespace CellPainting.Stages.Download;

/// <summary>
/// Transfer progress: totals cover only the objects this sync has to download (up-to-date ones cost nothing), so a
/// caller can derive rate and ETA directly. Bytes may step back when an attempt fails and is retried.
/// </summary>
/// <param name="ObjectsDone">Objects finished (downloaded or failed for good).</param>
/// <param name="ObjectsTotal">Objects to download.</param>
/// <param name="BytesDone">Bytes received in attempts that are still counting.</param>
/// <param name="BytesTotal">Bytes to download.</param>
public readonly record struct SyncProgress(long ObjectsDone, long ObjectsTotal, long BytesDone, long BytesTotal);
