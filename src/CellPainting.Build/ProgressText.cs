using System.Globalization;

namespace CellPainting.Build;

/// <summary>The words of a progress line: done/total, rate of items built, and the time left at that rate.</summary>
internal static class ProgressText
{
    public static string Line(string stage, int done, int total, int built, TimeSpan elapsed)
    {
        double rate = elapsed.TotalSeconds > 0 ? built / elapsed.TotalSeconds : 0;
        string eta = rate > 0 ? $", ETA {FormatDuration(TimeSpan.FromSeconds((total - done) / rate))}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{stage}: {done}/{total} ({(total == 0 ? 100 : 100 * done / total)}%), {rate:F1} items/s{eta}");
    }

    public static string FormatDuration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:D2}s" : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F1}s");
}
