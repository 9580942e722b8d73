using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>
/// Transfer progress as plain lines for logs and CI: at most one line per interval however often the transfer
/// reports (reports come from many threads, at every MiB and object), then one final line with the totals.
/// </summary>
internal sealed class PlainTransferDisplay : ITransferDisplay, IProgress<SyncProgress>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly TextWriter output;
    private readonly string stage;
    private readonly Lock gate = new();
    private readonly LineThrottle throttle;
    private SyncProgress latest;

    public PlainTransferDisplay(TextWriter output, string stage, TimeProvider clock)
    {
        this.output = output;
        this.stage = stage;
        throttle = new LineThrottle(clock, Interval);
    }

    public T Run<T>(Func<IProgress<SyncProgress>, T> transfer)
    {
        lock (gate)
        {
            throttle.Restart();
            latest = default;
        }

        T result = transfer(this);
        lock (gate)
        {
            // A transfer with nothing to fetch prints no progress at all; the summary says so.
            if (latest.ObjectsTotal > 0)
            {
                output.WriteLine(ProgressText.TransferDone(stage, latest, throttle.Elapsed));
            }
        }

        return result;
    }

    public void Report(SyncProgress value)
    {
        lock (gate)
        {
            latest = value;
            if (value.ObjectsTotal > 0 && throttle.TryPass(out TimeSpan elapsed))
            {
                output.WriteLine(ProgressText.Transfer(stage, value, elapsed));
            }
        }
    }
}
