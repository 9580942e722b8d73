using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Execution;

/// <summary>A stage that lists its items in parts (<see cref="IStage.DiscoverParts"/>), a group at a time.</summary>
public sealed class StageRunnerPartsTests
{
    private TempDirectory temp = null!;
    private CopyProject whole = null!;
    private CopyProject byGroup = null!;

    [SetUp]
    public void CreateProjects()
    {
        temp = new TempDirectory();
        whole = new CopyProject(temp.PathOf("whole"), itemCount: 6);
        byGroup = new CopyProject(temp.PathOf("by-group"), itemCount: 6);
        byGroup.Stage.ListsByGroup = true;
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    /// <summary>The lock a report records, as bytes: the lock file and each manifest, by name.</summary>
    private static Dictionary<string, byte[]> LockOf(CopyProject project, StageReport report)
    {
        var store = new LockStore(Path.Combine(project.Root, "data.lock.json"));
        store.Record(project.Stage, report.CurrentRecords, report.UnlistedGroups);
        return Directory.GetFiles(project.Root, "*", SearchOption.AllDirectories)
            .Where(path => path.Contains("data.lock", StringComparison.Ordinal))
            .ToDictionary(path => Path.GetRelativePath(project.Root, path), File.ReadAllBytes, StringComparer.Ordinal);
    }

    [Test]
    public void A_stage_listed_group_by_group_reports_logs_and_locks_exactly_as_one_listed_at_once()
    {
        foreach (CopyProject project in new[] { whole, byGroup })
        {
            project.Stage.Problems = [new ItemProblem("site-00", "plate-A", "only 4 of 5 channels")];
            project.Stage.Skipped = [new ItemProblem("site-99", "plate-B", "excluded by the plate map")];
        }

        StageReport wholeReport = whole.Run(parallelism: 2);
        StageReport byGroupReport = byGroup.Run(parallelism: 2);

        // Listed by group, the items come as site-01, 03, 05, then 02, 04, 06: the report sorts them all the same.
        Assert.That(byGroupReport.Outcomes, Is.EqualTo(wholeReport.Outcomes));
        Assert.That(byGroupReport.Outcomes.Select(outcome => outcome.ItemId), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(byGroupReport.CurrentRecords.Select(record => (record.ItemId, record.Fingerprint)), Is.EqualTo(wholeReport.CurrentRecords.Select(record => (record.ItemId, record.Fingerprint))));
        Assert.That(byGroup.LogFiles().ToDictionary(file => file.Key, file => LogText.WithoutStamps(file.Value)), Is.EqualTo(whole.LogFiles().ToDictionary(file => file.Key, file => LogText.WithoutStamps(file.Value))));
        Assert.That(LockOf(byGroup, byGroupReport), Is.EqualTo(LockOf(whole, wholeReport)));
    }

    [Test]
    public void A_stage_listed_group_by_group_is_up_to_date_on_the_next_run()
    {
        byGroup.Run();

        StageReport again = byGroup.Run(parallelism: 2);

        Assert.That(again.Count(OutcomeKind.UpToDate), Is.EqualTo(6));
        Assert.That(byGroup.Stage.BuildCalls, Is.Zero);
        Assert.That(again.CurrentRecords.Select(record => record.ItemId), Is.EqualTo(byGroup.ItemIds.Order(StringComparer.Ordinal)));
    }

    [Test]
    public void The_observer_hears_each_part_as_it_is_listed()
    {
        var observer = new RecordingObserver();

        byGroup.Run(observer: observer);

        Assert.That(observer.Listed, Is.EqualTo(new[] { "copy:3", "copy:3" }));
        Assert.That(observer.FinishedItems, Has.Count.EqualTo(6));
    }

    [Test]
    public void Once_a_run_builds_the_listing_runs_ahead_to_the_last_part()
    {
        var fiveGroups = new CopyProject(temp.PathOf("five"), itemCount: 5);
        fiveGroups.Stage.Items = fiveGroups.Stage.Items.Select((item, index) => new WorkItem(item.Id, $"plate-{index + 1}", item.Inputs, item.Outputs)).ToArray();
        fiveGroups.Stage.ListsByGroup = true;
        // The second part's item holds its round until every part is listed: with one round let wait, only a listing
        // let run ahead gets there (the guard only keeps a broken run from hanging the suite).
        var observer = new ListingWatcher(waitFor: "site-02", parts: 5);

        fiveGroups.Run(observer: observer);

        Assert.That(observer.ListedWhenWaited, Is.EqualTo(5));
        Assert.That(fiveGroups.Stage.BuiltItems, Has.Count.EqualTo(5));
    }

    [Test]
    public void A_part_that_cannot_be_listed_fails_the_run_after_the_parts_listed_before_it_are_built()
    {
        byGroup.Stage.FailListing = "plate-B";

        Assert.That(() => byGroup.Run(), Throws.TypeOf<IOException>().With.Message.EqualTo("cannot list plate-B"));
        Assert.That(byGroup.Stage.BuiltItems, Is.EqualTo(new[] { "site-01", "site-03", "site-05" }));
    }
}
