using System.Globalization;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Planning;

namespace CellPainting.Build;

/// <summary>
/// Prints a stage's summary: counts per outcome, why items were rebuilt, and every failed or skipped item with its
/// reason; items fetched from the shared cache and their bytes. In explain mode, lists what would be fetched (stale,
/// in cache) and what would be rebuilt, and why.
/// </summary>
internal static class ReportPrinter
{
    private const int ListLimit = 50;

    public static void Print(StageReport report, TextWriter output)
    {
        string built = report.DryRun ? $"{report.Count(OutcomeKind.WouldBuild)} would be rebuilt" : $"{report.Count(OutcomeKind.Built)} rebuilt";
        int fetched = report.Count(report.DryRun ? OutcomeKind.WouldFetch : OutcomeKind.Fetched);
        if (fetched > 0)
        {
            built += report.DryRun ? $", {fetched} in cache" : $", {fetched} fetched ({ProgressText.FormatBytes(report.FetchedBytes)})";
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Stage}: {report.Outcomes.Count} items: {report.Count(OutcomeKind.UpToDate)} up to date, {built}, {report.Count(OutcomeKind.Failed)} failed, {report.Count(OutcomeKind.Skipped)} skipped [{ProgressText.FormatDuration(report.Elapsed)}]"));
        if (report.ReasonCounts.Count > 0)
        {
            output.WriteLine($"  {(report.DryRun ? "would rebuild" : "rebuilt")} because: {string.Join(", ", report.ReasonCounts.Select(pair => $"{pair.Reason.Describe()} {pair.Count}"))}");
        }
        else if (!report.DryRun && report.Count(OutcomeKind.UpToDate) > 0 && report.Succeeded)
        {
            output.WriteLine("  nothing to do: every item is up to date");
        }

        if (report.DryRun)
        {
            List(output, "would fetch", report.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.WouldFetch), outcome => outcome.ItemId, outcome => $"stale, in cache ({outcome.Staleness})");
            List(output, "would rebuild", report.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.WouldBuild), outcome => outcome.ItemId, outcome => outcome.Staleness.ToString());
        }

        List(output, "skipped", report.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Skipped), outcome => outcome.ItemId, outcome => outcome.Error);
        List(output, "FAILED", report.Failures, outcome => outcome.ItemId, outcome => outcome.Error);
    }

    /// <summary>One indented line per entry, <c>label name: why</c>, the first few dozen only, then how many more.</summary>
    public static void List<T>(TextWriter output, string label, IEnumerable<T> entries, Func<T, string> name, Func<T, string> why)
    {
        T[] all = entries.ToArray();
        foreach (T entry in all.Take(ListLimit))
        {
            output.WriteLine($"  {label} {name(entry)}: {why(entry)}");
        }

        if (all.Length > ListLimit)
        {
            output.WriteLine($"  ... and {all.Length - ListLimit} more {label}");
        }
    }
}
