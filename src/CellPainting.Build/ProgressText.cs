using System.Globalization;
using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>The words of a progress line: done/total, rate, and the time left at that rate.</summary>
internal static class ProgressText
{
    public static string Line(string stage, int done, int total, int built, TimeSpan elapsed)
    {
        double rate = elapsed.TotalSeconds > 0 ? built / elapsed.TotalSeconds : 0;
        string eta = rate > 0 ? $", ETA {FormatDuration(TimeSpan.FromSeconds((total - done) / rate))}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{stage}: {done}/{total} ({(total == 0 ? 100 : 100 * done / total)}%), {rate:F1} items/s{eta}");
    }

    /// <summary>A transfer under way: objects and bytes done/total, byte rate since the start, and the time left at that rate.</summary>
    public static string Transfer(string stage, SyncProgress progress, TimeSpan elapsed)
    {
        double rate = BytesPerSecond(progress, elapsed);
        string eta = rate > 0 && progress.BytesDone < progress.BytesTotal
            ? $", ETA {FormatDuration(TimeSpan.FromSeconds((progress.BytesTotal - progress.BytesDone) / rate))}"
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{stage}: {Counts(progress)}, {Megabytes((long)rate)} MB/s{eta}");
    }

    /// <summary>A finished transfer: the final counts, how long it took and the average rate.</summary>
    public static string TransferDone(string stage, SyncProgress progress, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{stage}: {Counts(progress)} in {FormatDuration(elapsed)}, {Megabytes((long)BytesPerSecond(progress, elapsed))} MB/s");

    /// <summary>Bytes as decimal megabytes with one decimal, the unit of every download line.</summary>
    public static string Megabytes(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);

    public static string FormatDuration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:D2}s" : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F1}s");

    private static string Counts(SyncProgress progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{progress.ObjectsDone}/{progress.ObjectsTotal} objects, {Megabytes(progress.BytesDone)}/{Megabytes(progress.BytesTotal)} MB");

    private static double BytesPerSecond(SyncProgress progress, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 ? progress.BytesDone / elapsed.TotalSeconds : 0;

    public static string FormatBytes(long bytes) =>
        bytes >= 1_000_000 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB")
        : bytes >= 1_000 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:F1} kB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
