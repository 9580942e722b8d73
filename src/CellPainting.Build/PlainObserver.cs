using CellPainting.Engine.Execution;

namespace CellPainting.Build;

/// <summary>Progress as plain lines for logs and CI (stdout is not a terminal): at most one line every few seconds.</summary>
internal sealed class PlainObserver : IBuildObserver
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly TextWriter output;
    private readonly Lock gate = new();
    private readonly LineThrottle throttle = new(TimeProvider.System, Interval);
    private int total;
    private int done;
    private int built;

    public PlainObserver(TextWriter output) => this.output = output;

    public void StageStarted(string stage, int itemCount)
    {
        lock (gate)
        {
            total = itemCount;
            done = 0;
            built = 0;
            throttle.Restart();
        }
    }

    public void ItemFinished(string stage, ItemOutcome outcome)
    {
        lock (gate)
        {
            done++;
            if (outcome.Kind == OutcomeKind.Built)
            {
                built++;
            }

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
