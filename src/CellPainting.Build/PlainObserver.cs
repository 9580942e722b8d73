using CellPainting.Engine.Execution;

namespace CellPainting.Build;

/// <summary>
/// Progress as plain lines for logs and CI (stdout is not a terminal): at most one line every few seconds, counted
/// per stage since stages run together report items in turn.
/// </summary>
internal sealed class PlainObserver : IBuildObserver
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly TextWriter output;
    private readonly Lock gate = new();
    private readonly LineThrottle throttle = new(TimeProvider.System, Interval);
    private readonly bool everyItemIsWork;
    private readonly Dictionary<string, (int Total, int Done, int Built)> counts = new(StringComparer.Ordinal);

    /// <param name="everyItemIsWork">Count every finished item in the rate (hashing), not only the items built.</param>
    public PlainObserver(TextWriter output, bool everyItemIsWork = false)
    {
        this.output = output;
        this.everyItemIsWork = everyItemIsWork;
    }

    public void ItemsListed(string stage, int itemCount)
    {
        lock (gate)
        {
            if (counts.TryGetValue(stage, out (int Total, int Done, int Built) count))
            {
                counts[stage] = count with { Total = count.Total + itemCount };
                return;
            }

            counts[stage] = (itemCount, 0, 0);
            throttle.Restart();
        }
    }

    public void ItemFinished(string stage, ItemOutcome outcome)
    {
        lock (gate)
        {
            (int total, int done, int built) = counts[stage];
            done++;
            if (everyItemIsWork || outcome.Kind is OutcomeKind.Built or OutcomeKind.Fetched)
            {
                built++;
            }

            counts[stage] = (total, done, built);
            if (throttle.TryPass(out TimeSpan elapsed))
            {
                output.WriteLine(ProgressText.Line(stage, done, total, built, elapsed));
            }
        }
    }

    public void StageFinished(StageReport report)
    {
    }
}
