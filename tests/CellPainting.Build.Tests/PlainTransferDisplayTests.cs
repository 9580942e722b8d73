using CellPainting.Stages.Download;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>Plain transfer progress on a clock the test moves: which reports become lines, and what the lines say.</summary>
public sealed class PlainTransferDisplayTests
{
    private const long Megabyte = 1_000_000;

    private ManualClock clock = null!;
    private StringWriter output = null!;

    [SetUp]
    public void StartAClockAndAnEmptyOutput()
    {
        clock = new ManualClock();
        output = new StringWriter();
    }

    [TearDown]
    public void DisposeOutput() => output.Dispose();

    [Test]
    public void Reports_within_the_first_interval_print_nothing_and_the_first_after_it_prints_rate_and_eta()
    {
        Run(progress =>
        {
            progress.Report(new SyncProgress(0, 10, 0, 10 * Megabyte));
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(new SyncProgress(1, 10, 2 * Megabyte, 10 * Megabyte));
            Assert.That(output.ToString(), Is.Empty);
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(new SyncProgress(3, 10, 4 * Megabyte, 10 * Megabyte));
            Assert.That(Lines(), Is.EqualTo(new[] { "download: 3/10 objects, 4.0/10.0 MB, 2.0 MB/s, ETA 3.0s" }));
        });
    }

    [Test]
    public void However_many_reports_arrive_at_most_one_line_is_printed_per_interval()
    {
        Run(progress =>
        {
            // Object counts that are never a multiple of anything round: the line depends on time alone.
            for (int tick = 1; tick <= 100; tick++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
                progress.Report(new SyncProgress(tick * 7, 701, tick * Megabyte, 200 * Megabyte));
            }
        });

        string[] lines = Lines();
        Assert.That(lines[..^1], Has.Length.EqualTo(5));
        Assert.That(lines[0], Is.EqualTo("download: 140/701 objects, 20.0/200.0 MB, 10.0 MB/s, ETA 18.0s"));
    }

    [Test]
    public void The_final_line_gives_the_last_counts_the_time_taken_and_the_average_rate()
    {
        Run(progress =>
        {
            progress.Report(new SyncProgress(0, 4, 0, 3 * Megabyte));
            clock.Advance(TimeSpan.FromSeconds(1.5));
            progress.Report(new SyncProgress(4, 4, 3 * Megabyte, 3 * Megabyte));
        });

        Assert.That(Lines(), Is.EqualTo(new[] { "download: 4/4 objects, 3.0/3.0 MB in 1.5s, 2.0 MB/s" }));
    }

    [Test]
    public void A_transfer_with_nothing_to_fetch_prints_no_progress_line()
    {
        Run(progress =>
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            progress.Report(new SyncProgress(0, 0, 0, 0));
        });

        Assert.That(output.ToString(), Is.Empty);
    }

    [Test]
    public void The_display_returns_what_the_transfer_returns()
    {
        var display = new PlainTransferDisplay(output, "download", clock);

        Assert.That(display.Run(_ => 42), Is.EqualTo(42));
    }

    private void Run(Action<IProgress<SyncProgress>> transfer) =>
        new PlainTransferDisplay(output, "download", clock).Run(progress =>
        {
            transfer(progress);
            return 0;
        });

    private string[] Lines() => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
