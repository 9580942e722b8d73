using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.Planning;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.Engine.Verification;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Verification;

public sealed class OutputVerifierTests
{
    private LockedCopyProject fixture = null!;

    [SetUp]
    public void BuildAndLock() => fixture = new LockedCopyProject();

    [TearDown]
    public void DeleteTempDirectory() => fixture.Dispose();

    private TempDirectory Temp => fixture.Temp;

    private CopyProject Project => fixture.Project;

    private TargetVerification Verify(IReadOnlyList<WorkItem>? planned = null, IBuildObserver? observer = null)
    {
        var workspace = new Workspace(Project.StateDirectory, 2);
        return new OutputVerifier(workspace.StatCache, 2, observer ?? new RecordingObserver()).Verify(fixture.Read(), planned ?? Project.Stage.Items);
    }

    [Test]
    public void Outputs_that_match_the_lock_pass_and_each_is_hashed_once()
    {
        TargetVerification verification = Verify();

        Assert.That(verification.Passed, Is.True);
        Assert.That(verification.ItemsChecked, Is.EqualTo(4));
        Assert.That(verification.FilesHashed, Is.EqualTo(4));
        Assert.That(verification.BytesHashed, Is.EqualTo(Project.ItemIds.Sum(id => new FileInfo(Project.OutputPath(id)).Length)));
    }

    [Test]
    public void A_missing_and_a_modified_output_are_named()
    {
        File.Delete(Project.OutputPath("site-01"));
        File.WriteAllText(Project.OutputPath("site-02"), "not what was built\n");

        TargetVerification verification = Verify();

        Assert.That(verification.Findings.Select(finding => (finding.Subject, finding.Kind)), Is.EqualTo(new[]
        {
            ("site-01", FindingKind.Missing),
            ("site-02", FindingKind.Modified),
        }));
        Assert.That(verification.Findings[0].Detail, Is.EqualTo(Project.OutputPath("site-01")));
        Assert.That(verification.Findings[1].Detail, Does.StartWith($"{Project.OutputPath("site-02")}: sha256 ").And.Contain(", the lock records "));
    }

    [Test]
    public void An_output_that_rotted_under_an_unchanged_stamp_is_found_and_the_next_run_rebuilds_it()
    {
        if (!StampForger.IsSupported)
        {
            Assert.Ignore("keeping a stamp while changing content needs utimensat (Linux)");
        }

        StampForger.ShoutKeepingStamp(Project.OutputPath("site-03"));
        Assert.That(Project.Run().Count(OutcomeKind.Built), Is.Zero, "a build trusts the stamp");

        TargetVerification verification = Verify();
        StageReport next = Project.Run();

        Assert.That(verification.Findings.Single().Kind, Is.EqualTo(FindingKind.Modified));
        ItemOutcome rebuilt = next.Outcomes.Single(outcome => outcome.Kind == OutcomeKind.Built);
        Assert.That((rebuilt.ItemId, rebuilt.Staleness.Reason), Is.EqualTo(("site-03", StaleReason.OutputModified)));
    }

    [Test]
    public void Items_on_one_side_only_are_reported()
    {
        var added = new WorkItem("site-05", "plate-A", [], [new ItemOutput("out", Temp.PathOf("out", "site-05.txt"))]);
        WorkItem[] planned = [.. Project.Stage.Items.Take(3), added];

        TargetVerification verification = Verify(planned);

        Assert.That(verification.Findings, Is.EqualTo(new[]
        {
            new VerificationFinding("site-04", FindingKind.NotInPlan, "recorded in the lock, but the current plan has no such item"),
            new VerificationFinding("site-05", FindingKind.NotInLock, "in the current plan, but the lock does not record it"),
        }));
        Assert.That(verification.ItemsChecked, Is.EqualTo(3));
    }

    [Test]
    public void The_observer_hears_of_every_planned_item_and_which_failed()
    {
        File.Delete(Project.OutputPath("site-04"));
        var observer = new RecordingObserver();

        Verify(observer: observer);

        Assert.That(observer.Listed, Is.EqualTo(new[] { "verify copy:4" }));
        Assert.That(observer.FinishedItems.Where(outcome => outcome.Kind == OutcomeKind.Failed).Select(outcome => outcome.ItemId), Is.EqualTo(new[] { "site-04" }));
        Assert.That(observer.FinishedItems, Has.Count.EqualTo(4));
        Assert.That(observer.FinishedStages, Has.Count.EqualTo(1));
    }
}
