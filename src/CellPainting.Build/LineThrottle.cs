namespace CellPainting.Build;

/// <summary>
/// Lets a progress line through at most once per interval, timed on an injected clock so that tests need not sleep.
/// Not thread-safe: callers hold their own lock.
/// </summary>
internal sealed class LineThrottle
{
    private readonly TimeProvider clock;
    private readonly TimeSpan interval;
    private long started;
    private TimeSpan lastLine;

    public LineThrottle(TimeProvider clock, TimeSpan interval)
    {
        this.clock = clock;
        this.interval = interval;
        Restart();
    }

    /// <summary>Time since the last <see cref="Restart"/>.</summary>
    public TimeSpan Elapsed => clock.GetElapsedTime(started);

    /// <summary>Starts timing afresh; the first line passes one interval later.</summary>
    public void Restart()
    {
        started = clock.GetTimestamp();
        lastLine = TimeSpan.Zero;
    }

    /// <summary>True (and the interval starts again) when a full interval has passed since the last line.</summary>
    public bool TryPass(out TimeSpan elapsed)
    {
        elapsed = Elapsed;
        if (elapsed - lastLine < interval)
        {
            return false;
        }

        lastLine = elapsed;
        return true;
    }
}
