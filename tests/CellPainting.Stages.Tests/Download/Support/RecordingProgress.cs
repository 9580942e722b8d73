using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download.Support;

/// <summary>Keeps every progress report, synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class RecordingProgress : IProgress<SyncProgress>
{
    private readonly List<SyncProgress> _reports = [];

    public IReadOnlyList<SyncProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(SyncProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
