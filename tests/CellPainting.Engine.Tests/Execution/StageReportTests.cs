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
    public void Fetched_items_are_counted_apart_from_built_ones_with_the_bytes_they_took_from_the_cache()
    {
        StageReport report = Report(
            Outcome("a", OutcomeKind.Built, StaleReason.New),
            new ItemOutcome("b", "plate-A", OutcomeKind.Fetched, new Staleness(StaleReason.New, string.Empty), string.Empty, 1_000),
            new ItemOutcome("c", "plate-A", OutcomeKind.Fetched, new Staleness(StaleReason.InputChanged, string.Empty), string.Empty, 234));

        Assert.Multiple(() =>
        {
            Assert.That(report.Count(OutcomeKind.Fetched), Is.EqualTo(2));
            Assert.That(report.Count(OutcomeKind.Built), Is.EqualTo(1));
            Assert.That(report.FetchedBytes, Is.EqualTo(1_234));
            Assert.That(report.ReasonCounts, Is.EqualTo(new[] { (StaleReason.New, 1) }), "the reasons are those of the items built");
        });
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
