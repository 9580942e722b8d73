namespace CellPainting.Stages.Download;

/// <summary>One transfer's bytes, passed on to the sync's progress and counted, so an attempt that fails can take back what it reported.</summary>
internal sealed class CountingProgress
{
    private readonly ProgressTracker tracker;

    public CountingProgress(ProgressTracker tracker)
    {
        this.tracker = tracker;
    }

    public long Counted { get; private set; }

    public void Add(int bytes)
    {
        Counted += bytes;
        tracker.AddBytes(bytes);
    }
}
