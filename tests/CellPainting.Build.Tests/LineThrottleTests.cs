using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>The throttle behind plain progress lines, on a clock the test moves.</summary>
public sealed class LineThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [Test]
    public void A_line_passes_once_a_full_interval_has_passed_and_the_interval_then_starts_again()
    {
        var clock = new ManualClock();
        var throttle = new LineThrottle(clock, Interval);

        clock.Advance(TimeSpan.FromSeconds(1.9));
        bool early = throttle.TryPass(out _);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        bool due = throttle.TryPass(out TimeSpan elapsed);
        bool again = throttle.TryPass(out _);
        clock.Advance(Interval);
        bool next = throttle.TryPass(out _);

        Assert.Multiple(() =>
        {
            Assert.That(early, Is.False);
            Assert.That(due, Is.True);
            Assert.That(elapsed, Is.EqualTo(Interval));
            Assert.That(again, Is.False);
            Assert.That(next, Is.True);
        });
    }

    [Test]
    public void Restarting_measures_time_afresh()
    {
        var clock = new ManualClock();
        var throttle = new LineThrottle(clock, Interval);
        clock.Advance(TimeSpan.FromSeconds(5));

        throttle.Restart();

        Assert.Multiple(() =>
        {
            Assert.That(throttle.Elapsed, Is.EqualTo(TimeSpan.Zero));
            Assert.That(throttle.TryPass(out _), Is.False);
        });
    }
}
