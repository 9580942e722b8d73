namespace CellPainting.Stages.Download;

/// <summary>Thread-safe counters behind <see cref="SyncProgress"/> reports; bytes are reported about once per MiB.</summary>
internal sealed class ProgressTracker
{
    private const int ByteReportShift = 20;

    private readonly IProgress<SyncProgress>? _progress;
    private readonly long _objectsTotal;
    private readonly long _bytesTotal;
    private long _objectsDone;
    private long _bytesDone;

    public ProgressTracker(IProgress<SyncProgress>? progress, long objectsTotal, long bytesTotal)
    {
        _progress = progress;
        _objectsTotal = objectsTotal;
        _bytesTotal = bytesTotal;
    }

    /// <summary>Adds (or, after a failed attempt, takes back) received bytes.</summary>
    public void AddBytes(long delta)
    {
        var after = Interlocked.Add(ref _bytesDone, delta);
        if ((after - delta) >> ByteReportShift != after >> ByteReportShift)
        {
            Report();
        }
    }

    public void ObjectFinished()
    {
        Interlocked.Increment(ref _objectsDone);
        Report();
    }

    public void Report() =>
        _progress?.Report(new SyncProgress(Interlocked.Read(ref _objectsDone), _objectsTotal, Interlocked.Read(ref _bytesDone), _bytesTotal));
}
