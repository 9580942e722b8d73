using CellPainting.Engine.Execution;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Items;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Execution;

/// <summary>StageRunner.RunTogether: a plain stage ("first") and a batch stage ("second") over the same four item ids.</summary>
public sealed class StageRunnerTogetherTests
{
    private static readonly string[] AllItems = ["site-01", "site-02", "site-03", "site-04"];

    private TempDirectory temp = null!;
    private SharedInputs inputs = null!;
    private SharingStage first = null!;
    private SharingBatchStage second = null!;

    [SetUp]
    public void CreateStages()
    {
        temp = new TempDirectory();
        foreach (string id in AllItems)
        {
            temp.Write($"in/{id}.left.txt", $"{id} left\n");
            temp.Write($"in/{id}.right.txt", $"{id} right\n");
        }

        NewStages();
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void Stages_run_together_read_each_items_shared_inputs_once_and_build_every_item_of_each()
    {
        IReadOnlyList<StageReport> reports = RunTogether(parallelism: 2);

        Assert.That(reports.Select(report => (report.Stage, report.Count(OutcomeKind.Built), report.Succeeded)), Is.EqualTo(new[] { ("first", 4, true), ("second", 4, true) }));
        Assert.That(inputs.Reads, Is.EquivalentTo(AllItems.ToDictionary(id => id, _ => 1)));
        Assert.That(File.ReadAllText(OutputPath("second", "site-03")), Is.EqualTo("second: site-03 left\nsite-03 right\n"));
    }

    [Test]
    public void Stages_listing_items_in_another_order_or_not_at_all_still_read_each_shared_items_inputs_once()
    {
        // "second" lists the items backwards and lacks site-01: the i-th items of the two parts are not one item.
        second = new SharingBatchStage("second", ItemsFor("second").Where(item => item.Id != "site-01").Reverse().ToArray(), inputs);

        IReadOnlyList<StageReport> reports = RunTogether(parallelism: 2);

        Assert.That(reports.Select(report => (report.Stage, report.Count(OutcomeKind.Built))), Is.EqualTo(new[] { ("first", 4), ("second", 3) }));
        Assert.That(inputs.Reads, Is.EquivalentTo(AllItems.ToDictionary(id => id, _ => 1)));
        Assert.That(File.ReadAllText(OutputPath("second", "site-02")), Is.EqualTo("second: site-02 left\nsite-02 right\n"));
    }

    [Test]
    public void Running_together_gives_the_same_outputs_logs_and_records_as_running_each_stage_alone()
    {
        IReadOnlyList<StageReport> together = RunTogether(parallelism: 2);
        Dictionary<string, byte[]> togetherFiles = StateAndOutputs();
        Directory.Delete(temp.PathOf("out"), recursive: true);
        Directory.Delete(temp.PathOf("state"), recursive: true);
        NewStages();

        StageReport firstAlone = Runner(parallelism: 2).Run(first, dryRun: false);
        StageReport secondAlone = Runner(parallelism: 2).Run(second, dryRun: false);

        Assert.That(Comparable(StateAndOutputs()), Is.EquivalentTo(Comparable(togetherFiles)));
        Assert.That(together.Select(Described), Is.EqualTo(new[] { Described(firstAlone), Described(secondAlone) }));
        Assert.That(inputs.Reads.Values, Is.All.EqualTo(2), "run apart, each stage reads the inputs itself");
    }

    [Test]
    public void An_item_stale_in_one_stage_only_is_built_only_for_that_stage()
    {
        RunTogether();
        File.Delete(OutputPath("second", "site-02"));
        NewStages();

        IReadOnlyList<StageReport> reports = RunTogether();

        Assert.That(reports[0].Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.UpToDate));
        Assert.That(reports[1].Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Built).Select(outcome => outcome.ItemId), Is.EqualTo(new[] { "site-02" }));
        Assert.That(inputs.Reads, Is.EquivalentTo(new Dictionary<string, int> { ["site-02"] = 1 }));
    }

    [Test]
    public void A_failure_in_one_stages_item_does_not_fail_the_other_stages_build_of_that_item()
    {
        first.FailFor = "site-02";

        IReadOnlyList<StageReport> reports = RunTogether(parallelism: 2);

        Assert.That(reports[0].Failures.Select(outcome => (outcome.ItemId, outcome.Error)), Is.EqualTo(new[] { ("site-02", "InvalidOperationException: boom while building site-02") }));
        Assert.That(reports[1].Succeeded, Is.True);
        Assert.That(reports[1].CurrentRecords.Select(record => record.ItemId), Is.EqualTo(AllItems));
        Assert.That(File.ReadAllText(OutputPath("second", "site-02")), Is.EqualTo("second: site-02 left\nsite-02 right\n"));
        Assert.That(File.Exists(OutputPath("first", "site-02")), Is.False);
    }

    [Test]
    public void Explaining_stages_run_together_builds_and_reads_nothing_and_says_what_each_would_build()
    {
        IReadOnlyList<StageReport> reports = Runner(parallelism: 2).RunTogether([first, second], dryRun: true);

        Assert.That(reports.Select(report => (report.Stage, report.DryRun, report.Count(OutcomeKind.WouldBuild))), Is.EqualTo(new[] { ("first", true, 4), ("second", true, 4) }));
        Assert.That(inputs.Reads, Is.Empty);
        Assert.That(Directory.Exists(temp.PathOf("out")), Is.False);
    }

    [Test]
    public void The_observer_hears_each_stages_items_listed_every_item_of_both_and_each_stage_finish()
    {
        var observer = new RecordingObserver();

        new StageRunner(new Workspace(temp.PathOf("state"), 2), observer).RunTogether([first, second], dryRun: false);

        Assert.That(observer.Listed, Is.EqualTo(new[] { "first:4", "second:4" }));
        Assert.That(observer.FinishedItems, Has.Count.EqualTo(8));
        Assert.That(observer.FinishedStages.Select(report => report.Stage), Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public void The_stat_cache_is_saved_once_after_every_stages_batches_are_built_and_every_output_is_vouched_for_by_stamp()
    {
        // A fresh state: the stat cache's shard files appear only when the run saves it. Four items in batches of three
        // leave a partial batch, built only while the run finishes, after "first" has nothing left to do.
        var late = new StateWatchingBatchStage("late", ItemsFor("late"), inputs, Workspace.StatCacheFolderFor(temp.PathOf("state")));

        Runner(parallelism: 2).RunTogether([first, late], dryRun: false);

        Assert.That(late.SavedBeforeBatch, Is.EqualTo(new[] { false, false }), "no batch may record outputs after the stat cache was saved");
        using BuildLog log = BuildLog.Open(new Workspace(temp.PathOf("state"), 1).LogFolderFor("late"));
        using var folders = new FolderHandles();
        Assert.That(AllItems.Where(id => log.Find(id)?.Stamps != ItemStamps.Read(ItemsFor("late").Single(item => item.Id == id), folders)), Is.Empty, "every record holds its files' stamps as built");
    }

    [Test]
    public void Each_stage_reports_the_whole_runs_time_its_last_batch_included()
    {
        var late = new StateWatchingBatchStage("late", ItemsFor("late"), inputs, Workspace.StatCacheFolderFor(temp.PathOf("state")))
        {
            TailBatchDelay = TimeSpan.FromMilliseconds(400),
        };

        IReadOnlyList<StageReport> reports = Runner(parallelism: 2).RunTogether([first, late], dryRun: false);

        Assert.That(reports.Select(report => report.Elapsed), Is.All.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400)));
    }

    [Test]
    public void Stages_listing_their_items_by_group_run_together_group_by_group_and_still_read_each_items_inputs_once()
    {
        WorkItem[] InTwoGroups(string stage) => ItemsFor(stage).Select((item, index) => new WorkItem(item.Id, index % 2 == 0 ? "plate-A" : "plate-B", item.Inputs, item.Outputs)).ToArray();
        var byGroup = new SharingStage("first", InTwoGroups("first"), inputs) { ListsByGroup = true };
        var batchedByGroup = new SharingBatchStage("second", InTwoGroups("second"), inputs) { ListsByGroup = true };
        var observer = new RecordingObserver();

        IReadOnlyList<StageReport> reports = new StageRunner(new Workspace(temp.PathOf("state"), 2), observer).RunTogether([byGroup, batchedByGroup], dryRun: false);

        Assert.That(observer.Listed, Is.EqualTo(new[] { "first:2", "second:2", "first:2", "second:2" }));
        Assert.That(reports.Select(report => (report.Stage, report.Count(OutcomeKind.Built))), Is.EqualTo(new[] { ("first", 4), ("second", 4) }));
        Assert.That(reports[1].Outcomes.Select(outcome => outcome.ItemId), Is.EqualTo(AllItems));
        Assert.That(inputs.Reads, Is.EquivalentTo(AllItems.ToDictionary(id => id, _ => 1)));
    }

    [Test]
    public void Stages_with_the_same_name_cannot_run_together()
    {
        var twin = new SharingStage("first", first.Items, inputs);

        Assert.Throws<ArgumentException>(() => Runner().RunTogether([first, twin], dryRun: false));
    }

    /// <summary>A report's records as (item, fingerprint, output hash): records hold arrays, so they compare by reference.</summary>
    private static string[] Described(StageReport report) =>
        report.CurrentRecords.Select(record => $"{record.ItemId} {record.Fingerprint} {record.Outputs.Single().Hash}").ToArray();

    private void NewStages()
    {
        inputs = new SharedInputs();
        first = new SharingStage("first", ItemsFor("first"), inputs);
        second = new SharingBatchStage("second", ItemsFor("second"), inputs);
    }

    private IReadOnlyList<WorkItem> ItemsFor(string stage) =>
        AllItems.Select(id => new WorkItem(
                id,
                "plate-A",
                [new ItemInput("left", temp.PathOf("in", $"{id}.left.txt")), new ItemInput("right", temp.PathOf("in", $"{id}.right.txt"))],
                [new ItemOutput("out", OutputPath(stage, id))]))
            .ToArray();

    private string OutputPath(string stage, string id) => temp.PathOf("out", stage, $"{id}.txt");

    private StageRunner Runner(int parallelism = 1) => new(new Workspace(temp.PathOf("state"), parallelism), new RecordingObserver());

    private IReadOnlyList<StageReport> RunTogether(int parallelism = 1) => Runner(parallelism).RunTogether([first, second], dryRun: false);

    // The stat cache holds the outputs' stamps (mtime, inode), which differ between two runs.
    /// <summary>Outputs and logs as two builds of the same items give them: logs without their records' stamps (inodes, mtimes).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Comparable(Dictionary<string, byte[]> files) =>
        files.Where(file => !IsStatCache(file.Key))
            .Select(file => KeyValuePair.Create(file.Key, file.Key.EndsWith(".log", StringComparison.Ordinal) ? string.Join('\n', LogText.WithoutStamps(file.Value)) : Convert.ToHexString(file.Value)));

    private static bool IsStatCache(string relativePath) =>
        relativePath.StartsWith(Path.Combine("state", "stat-cache") + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private Dictionary<string, byte[]> StateAndOutputs() =>
        Directory.EnumerateFiles(temp.Root, "*", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(temp.PathOf("in"), StringComparison.Ordinal))
            .ToDictionary(path => Path.GetRelativePath(temp.Root, path), File.ReadAllBytes, StringComparer.Ordinal);
}
