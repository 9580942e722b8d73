using CellPainting.Engine.Execution;
using CellPainting.Engine.Planning;

namespace CellPainting.Engine.Tests.Execution;

public sealed class StageReportTests
{
    private static ItemOutcome Outcome(string id, OutcomeKind kind, StaleReason reason = StaleReason.None) =>
        new(id, "plate-A", kind, new Staleness(reason, string.Empty), kind == OutcomeKind.Failed ? "it broke" : string.Empty);

    private static StageReport Report(params ItemOutcome[] outcomes) => new("copy", false, outcomes, [], TimeSpan.Zero);

    [Test]
    public void Reason_counts_cover_built_and_would_build_items_in_the_reasons_declared_order()
    {
        StageReport report = Report(
            Outcome("a", OutcomeKind.Built, StaleReason.OutputMissing),
            Outcome("b", OutcomeKind.WouldBuild, StaleReason.New),
            Outcome("c", OutcomeKind.Built, StaleReason.OutputMissing),
            Outcome("d", OutcomeKind.UpToDate),
            Outcome("e", OutcomeKind.Built, StaleReason.InputChanged),
            Outcome("f", OutcomeKind.Failed));

        Assert.That(report.ReasonCounts, Is.EqualTo(new[]
        {
            (StaleReason.New, 1),
            (StaleReason.InputChanged, 1),
            (StaleReason.OutputMissing, 2),
        }));
    }

    [Test]
    public void A_report_with_a_failure_has_not_succeeded()
    {
        StageReport report = Report(Outcome("a", OutcomeKind.Built, StaleReason.New), Outcome("b", OutcomeKind.Failed));

        Assert.That(report.Succeeded, Is.False);
        Assert.That(report.Failures.Select(outcome => outcome.ItemId), Is.EqualTo(new[] { "b" }));
        Assert.That(report.Count(OutcomeKind.Built), Is.EqualTo(1));
    }

    [Test]
    public void Skipped_items_do_not_make_a_report_fail()
    {
        StageReport report = Report(ItemOutcome.Skip("a", "plate-A", "excluded"), Outcome("b", OutcomeKind.UpToDate));

        Assert.That(report.Succeeded, Is.True);
        Assert.That(report.Count(OutcomeKind.Skipped), Is.EqualTo(1));
    }
}
