using System.Globalization;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Planning;

namespace CellPainting.Build;

/// <summary>
/// Prints a stage's summary: counts per outcome, why items were rebuilt, and every failed or skipped item with its
/// reason. In explain mode, lists what would be rebuilt and why.
/// </summary>
internal static class ReportPrinter
{
    private const int ListLimit = 50;

    public static void Print(StageReport report, TextWriter output)
    {
        string built = report.DryRun ? $"{report.Count(OutcomeKind.WouldBuild)} would be rebuilt" : $"{report.Count(OutcomeKind.Built)} rebuilt";
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
            List(output, "would rebuild", report.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.WouldBuild), outcome => outcome.Staleness.ToString());
        }

        List(output, "skipped", report.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Skipped), outcome => outcome.Error);
        List(output, "FAILED", report.Failures, outcome => outcome.Error);
    }

    private static void List(TextWriter output, string label, IEnumerable<ItemOutcome> outcomes, Func<ItemOutcome, string> why)
    {
        ItemOutcome[] all = outcomes.ToArray();
        foreach (ItemOutcome outcome in all.Take(ListLimit))
        {
            output.WriteLine($"  {label} {outcome.ItemId}: {why(outcome)}");
        }

        if (all.Length > ListLimit)
        {
            output.WriteLine($"  ... and {all.Length - ListLimit} more {label}");
        }
    }
}
