using CellPainting.Stages.Download;

namespace CellPainting.Build.Tests;

/// <summary>The exact words of progress lines.</summary>
public sealed class ProgressTextTests
{
    [Test]
    public void A_transfer_line_gives_objects_and_megabytes_done_of_total_the_rate_and_the_time_left()
    {
        string line = ProgressText.Transfer("download", new SyncProgress(120, 500, 30_000_000, 150_000_000), TimeSpan.FromSeconds(10));

        Assert.That(line, Is.EqualTo("download: 120/500 objects, 30.0/150.0 MB, 3.0 MB/s, ETA 40.0s"));
    }

    [Test]
    public void Before_any_byte_arrives_a_transfer_line_has_no_eta()
    {
        string line = ProgressText.Transfer("download", new SyncProgress(0, 3, 0, 5_000_000), TimeSpan.FromSeconds(2));

        Assert.That(line, Is.EqualTo("download: 0/3 objects, 0.0/5.0 MB, 0.0 MB/s"));
    }

    [Test]
    public void A_long_transfer_gives_its_eta_in_hours_and_minutes()
    {
        string line = ProgressText.Transfer("download", new SyncProgress(1, 100, 1_000_000_000, 9_000_000_000), TimeSpan.FromSeconds(1000));

        Assert.That(line, Is.EqualTo("download: 1/100 objects, 1000.0/9000.0 MB, 1.0 MB/s, ETA 2h13m"));
    }

    [Test]
    public void A_finished_transfer_line_gives_the_totals_the_duration_and_the_average_rate()
    {
        string line = ProgressText.TransferDone("download", new SyncProgress(500, 500, 150_000_000, 150_000_000), TimeSpan.FromSeconds(75));

        Assert.That(line, Is.EqualTo("download: 500/500 objects, 150.0/150.0 MB in 1m15s, 2.0 MB/s"));
    }
}
