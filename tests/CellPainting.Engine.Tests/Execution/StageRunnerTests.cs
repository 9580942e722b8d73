using CellPainting.Engine.Execution;
using CellPainting.Engine.IO;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Execution;

public sealed class StageRunnerTests
{
    private static readonly string[] AllItems = ["site-01", "site-02", "site-03", "site-04"];

    private TempDirectory temp = null!;
    private CopyProject project = null!;

    [SetUp]
    public void CreateProject()
    {
        temp = new TempDirectory();
        project = new CopyProject(temp.Root, itemCount: 4);
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private static IEnumerable<string> IdsWith(StageReport report, OutcomeKind kind) =>
        report.Outcomes.Where(outcome => outcome.Kind == kind).Select(outcome => outcome.ItemId);

    private static ItemOutcome OutcomeOf(StageReport report, string itemId) => report.Outcomes.Single(outcome => outcome.ItemId == itemId);

    private static void RequireStampForging()
    {
        if (!StampForger.IsSupported)
        {
            Assert.Ignore("keeping a stamp while changing content needs utimensat (Linux)");
        }
    }

    [Test]
    public void The_first_run_builds_every_item_and_says_new()
    {
        StageReport report = project.Run();

        Assert.That(project.Stage.BuildCalls, Is.EqualTo(4));
        Assert.That(report.Outcomes.Select(outcome => outcome.ItemId), Is.EqualTo(AllItems));
        Assert.That(report.Outcomes.Select(outcome => (outcome.Kind, outcome.Staleness.Reason)), Is.All.EqualTo((OutcomeKind.Built, StaleReason.New)));
        Assert.That(report.Succeeded, Is.True);
        Assert.That(report.DryRun, Is.False);
        Assert.That(report.ReasonCounts, Is.EqualTo(new[] { (StaleReason.New, 4) }));
        Assert.That(project.ReadOutput("site-03"), Is.EqualTo("site-03 left\nsite-03 right\n"));
    }

    [Test]
    public void The_records_of_a_run_describe_its_outputs()
    {
        StageReport report = project.Run();

        Assert.That(report.CurrentRecords.Select(record => record.ItemId), Is.EqualTo(AllItems));
        BuildRecord record = report.CurrentRecords[1];
        Assert.That(record.Group, Is.EqualTo("plate-B"));
        Assert.That(record.RecipeVersion, Is.EqualTo(1));
        Assert.That(record.ParametersDigest, Is.EqualTo(StageParameters.Empty.Digest));
        Assert.That(record.Inputs, Is.EqualTo(new[]
        {
            new HashedName("left", ContentHash.OfText("site-02 left\n")),
            new HashedName("right", ContentHash.OfText("site-02 right\n")),
        }));
        Assert.That(record.Fingerprint, Is.EqualTo(Fingerprint.Of(project.Stage, record.Inputs)));
        Assert.That(record.Outputs, Is.EqualTo(new[] { new HashedName("out", ContentHash.OfFile(project.OutputPath("site-02"))) }));
    }

    [Test]
    public void A_second_run_builds_nothing_and_reports_every_item_up_to_date()
    {
        project.Run();
        Dictionary<string, byte[]> logAfterFirstRun = project.LogFiles();

        StageReport second = project.Run();

        Assert.That(project.Stage.BuildCalls, Is.Zero);
        Assert.That(second.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.UpToDate));
        Assert.That(second.Outcomes.Select(outcome => outcome.Staleness), Is.All.EqualTo(Staleness.UpToDate));
        Assert.That(second.ReasonCounts, Is.Empty);
        Assert.That(second.CurrentRecords.Select(record => record.ItemId), Is.EqualTo(AllItems));
        Assert.That(project.LogFiles(), Is.EqualTo(logAfterFirstRun));
    }

    [Test]
    public void A_no_op_run_rewrites_neither_the_stat_cache_nor_the_build_log()
    {
        project.Run();
        // A stamp holds the inode and the mtime: a replacement by rename or an append would change it.
        Dictionary<string, FileStamp> statCache = StatCacheStamps();
        Dictionary<string, FileStamp> log = project.LogStamps();

        project.Run();

        Assert.That(statCache, Is.Empty, "the records vouch for every file by stamp");
        Assert.That(log.Keys, Is.EquivalentTo(new[] { "plate-A.log", "plate-B.log" }));
        Assert.That(StatCacheStamps(), Is.EqualTo(statCache));
        Assert.That(project.LogStamps(), Is.EqualTo(log));
    }

    [Test]
    public void A_no_op_run_reads_no_input_or_output_content()
    {
        RequireStampForging();
        project.Run();

        // New content behind unchanged stamps: a run that read any of these files would see the change.
        ChangeEveryFileKeepingItsStamp();

        StageReport noOp = project.Run();

        Assert.That(project.Stage.BuildCalls, Is.Zero);
        Assert.That(noOp.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.UpToDate));

        // Once a stamp moves, the content is read and the change is seen.
        File.SetLastWriteTimeUtc(project.InputPath("site-02", "left"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        StageReport afterTouch = project.Run();
        Assert.That(IdsWith(afterTouch, OutcomeKind.Built), Is.EqualTo(new[] { "site-02" }));
        Assert.That(OutcomeOf(afterTouch, "site-02").Staleness, Is.EqualTo(new Staleness(StaleReason.InputChanged, "left modified")));
    }

    [Test]
    public void An_upgrade_from_the_previous_state_format_rebuilds_nothing_reads_no_content_and_leaves_no_hash_behind()
    {
        RequireStampForging();
        project.Run();
        WriteStateOfPreviousFormat();
        // New content behind unchanged stamps: an upgrade that read any file would see the change and rebuild.
        ChangeEveryFileKeepingItsStamp();

        StageReport upgrade = project.Run();

        Assert.That(project.Stage.BuildCalls, Is.Zero);
        Assert.That(upgrade.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.UpToDate));
        Assert.That(project.LogFiles().Values.Select(content => System.Text.Encoding.UTF8.GetString(content).Split('\n')[0]), Is.All.EqualTo("cpbuild-log 4"));
        Assert.That(StatCacheStamps(), Is.Empty, "the records vouch for every file by stamp now");
        Dictionary<string, FileStamp> log = project.LogStamps();
        Assert.That(project.Run().Count(OutcomeKind.UpToDate), Is.EqualTo(4));
        Assert.That(project.Stage.BuildCalls, Is.Zero);
        Assert.That(project.LogStamps(), Is.EqualTo(log));
    }

    /// <summary>Rewrites the state as the previous format had it: logs of format 2 with full input hashes, and every file's hash in the stat cache.</summary>
    private void WriteStateOfPreviousFormat()
    {
        using (BuildLog current = BuildLog.Open(project.LogFolder))
        {
            foreach (IGrouping<string, BuildRecord> group in current.Records.GroupBy(record => record.Group))
            {
                string path = Path.Combine(project.LogFolder, group.Key + ".log");
                IEnumerable<string> parameters = File.ReadAllText(path).Split('\n').Where(line => line.StartsWith("P\t", StringComparison.Ordinal)).Select(line => line + "\n");
                IEnumerable<string> records = group.Select(record =>
                    $"D\t{record.ItemId}\t{record.Group}\t{record.Fingerprint}\t{record.RecipeVersion}\t{record.ParametersDigest}\t" +
                    string.Join(',', CopyProject.InputNames.Select(name => $"{name}={ContentHash.OfFile(project.InputPath(record.ItemId, name))}")) +
                    $"\tout={record.Outputs[0].Hash}");
                File.WriteAllText(path, "cpbuild-log 2\n" + string.Concat(parameters) + string.Concat(records.Select(Checked)));
            }
        }

        StatCache statCache = StatCache.Load(project.StatCacheFolder);
        foreach (string file in project.Stage.Items.SelectMany(item => item.Inputs.Select(input => input.Path).Append(item.Outputs[0].Path)))
        {
            statCache.Record(file, FileStatReader.TryRead(file)!.Value, ContentHash.OfFile(file));
        }

        statCache.Save();
    }

    private static string Checked(string line) =>
        $"{line}\t{System.IO.Hashing.Crc32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(line)):x8}\n";

    [Test]
    public void A_build_log_record_with_a_flipped_byte_is_not_trusted_and_only_its_item_is_rebuilt()
    {
        project.Run();
        string log = Path.Combine(project.LogFolder, "plate-A.log"); // site-01 and site-03
        byte[] content = File.ReadAllBytes(log);
        // A digit of site-03's fingerprint, turned into another digit: the line still parses, only its checksum tells.
        int digit = content.AsSpan().IndexOf("D\tsite-03\t"u8) + "D\tsite-03\t".Length;
        while (content[digit] is < (byte)'0' or > (byte)'8')
        {
            digit++;
        }

        content[digit] ^= 0x01;
        File.WriteAllBytes(log, content);

        StageReport report = project.Run();

        Assert.That(IdsWith(report, OutcomeKind.Built), Is.EqualTo(new[] { "site-03" }));
        Assert.That(OutcomeOf(report, "site-03").Staleness.Reason, Is.EqualTo(StaleReason.New));
        Assert.That(project.Run().Count(OutcomeKind.UpToDate), Is.EqualTo(4), "compaction replaced the damaged line");
    }

    [Test]
    public void A_damaged_parameters_line_drops_only_the_parameter_names_and_rebuilds_nothing()
    {
        project.Run();
        string log = Path.Combine(project.LogFolder, "plate-A.log");
        byte[] content = File.ReadAllBytes(log);
        content[content.AsSpan().IndexOf("P\t"u8) + 2] ^= 0x01; // the records' parameters digest is now a prefix nothing expands
        File.WriteAllBytes(log, content);

        StageReport report = project.Run();

        Assert.That(project.Stage.BuildCalls, Is.Zero);
        Assert.That(report.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.UpToDate));
    }

    [Test]
    public void Touching_an_input_without_changing_its_content_rebuilds_nothing_and_its_new_stamp_is_remembered()
    {
        project.Run();
        string input = project.InputPath("site-01", "right");
        File.SetLastWriteTimeUtc(input, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        StageReport afterTouch = project.Run();

        Assert.That(project.Stage.BuildCalls, Is.Zero);
        Assert.That(afterTouch.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.UpToDate));
        Dictionary<string, FileStamp> log = project.LogStamps();
        StageReport next = project.Run();
        Assert.That(next.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.UpToDate));
        Assert.That(project.LogStamps(), Is.EqualTo(log), "the record took the new stamp: the next run trusts it and rewrites nothing");
    }

    [Test]
    public void Changing_one_input_rebuilds_only_that_item_and_says_input_changed()
    {
        project.Run();
        project.WriteInput("site-03", "right", "site-03 right, corrected\n");

        StageReport report = project.Run();

        Assert.That(project.Stage.BuiltItems, Is.EqualTo(new[] { "site-03" }));
        Assert.That(OutcomeOf(report, "site-03").Kind, Is.EqualTo(OutcomeKind.Built));
        Assert.That(OutcomeOf(report, "site-03").Staleness, Is.EqualTo(new Staleness(StaleReason.InputChanged, "right modified")));
        Assert.That(IdsWith(report, OutcomeKind.UpToDate), Is.EqualTo(new[] { "site-01", "site-02", "site-04" }));
        Assert.That(project.ReadOutput("site-03"), Is.EqualTo("site-03 left\nsite-03 right, corrected\n"));
        Assert.That(project.Run().Count(OutcomeKind.Built), Is.Zero, "the run after is a no-op again");
    }

    [Test]
    public void Changing_the_parameters_rebuilds_every_item_and_says_params_changed_naming_them()
    {
        project.Run();
        project.Stage.Parameters = new StageParameters([KeyValuePair.Create("separator", "none")]);

        StageReport report = project.Run();

        Assert.That(project.Stage.BuildCalls, Is.EqualTo(4));
        Assert.That(report.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.Built));
        Assert.That(report.Outcomes.Select(outcome => outcome.Staleness), Is.All.EqualTo(new Staleness(StaleReason.ParamsChanged, "separator added")));
        Assert.That(report.CurrentRecords.Select(record => record.ParametersDigest), Is.All.EqualTo(project.Stage.Parameters.Digest));
    }

    [Test]
    public void Bumping_the_recipe_rebuilds_every_item_and_says_recipe_changed()
    {
        project.Run();
        project.Stage.RecipeVersion = 2;

        StageReport report = project.Run();

        Assert.That(project.Stage.BuildCalls, Is.EqualTo(4));
        Assert.That(report.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.Built));
        Assert.That(report.Outcomes.Select(outcome => outcome.Staleness), Is.All.EqualTo(new Staleness(StaleReason.RecipeChanged, "recipe 1 -> 2")));
        Assert.That(report.CurrentRecords.Select(record => record.RecipeVersion), Is.All.EqualTo(2));
    }

    [Test]
    public void Deleting_one_output_rebuilds_only_that_item_and_says_output_missing()
    {
        project.Run();
        File.Delete(project.OutputPath("site-04"));

        StageReport report = project.Run();

        Assert.That(project.Stage.BuiltItems, Is.EqualTo(new[] { "site-04" }));
        Assert.That(OutcomeOf(report, "site-04").Staleness, Is.EqualTo(new Staleness(StaleReason.OutputMissing, project.OutputPath("site-04"))));
        Assert.That(project.ReadOutput("site-04"), Is.EqualTo("site-04 left\nsite-04 right\n"));
    }

    [Test]
    public void Corrupting_one_output_rebuilds_only_that_item_and_says_output_modified()
    {
        project.Run();
        File.WriteAllText(project.OutputPath("site-01"), "scribbled over");

        StageReport report = project.Run();

        Assert.That(project.Stage.BuiltItems, Is.EqualTo(new[] { "site-01" }));
        Assert.That(OutcomeOf(report, "site-01").Staleness, Is.EqualTo(new Staleness(StaleReason.OutputModified, project.OutputPath("site-01"))));
        Assert.That(project.ReadOutput("site-01"), Is.EqualTo("site-01 left\nsite-01 right\n"));
    }

    [Test]
    public void An_item_begun_but_never_completed_is_rebuilt_and_says_previous_run_incomplete()
    {
        project.Run();
        using (BuildLog killedRun = BuildLog.Open(project.LogFolder))
        {
            killedRun.Begin("site-02", project.Stage.Items.Single(item => item.Id == "site-02").Group); // the process died here
        }

        StageReport report = project.Run();

        Assert.That(project.Stage.BuiltItems, Is.EqualTo(new[] { "site-02" }));
        Assert.That(OutcomeOf(report, "site-02").Staleness.Reason, Is.EqualTo(StaleReason.PreviousRunIncomplete));
        Assert.That(project.Run().Count(OutcomeKind.UpToDate), Is.EqualTo(4), "completing it clears the mark");
    }

    [Test]
    public void A_stage_that_throws_for_one_item_fails_only_that_item_and_it_is_retried_next_run()
    {
        project.Stage.FailFor = "site-02";

        StageReport failed = project.Run();

        Assert.That(OutcomeOf(failed, "site-02").Kind, Is.EqualTo(OutcomeKind.Failed));
        Assert.That(OutcomeOf(failed, "site-02").Error, Is.EqualTo("InvalidOperationException: boom while building site-02"));
        Assert.That(IdsWith(failed, OutcomeKind.Built), Is.EqualTo(new[] { "site-01", "site-03", "site-04" }));
        Assert.That(failed.Succeeded, Is.False);
        Assert.That(failed.Failures.Select(outcome => outcome.ItemId), Is.EqualTo(new[] { "site-02" }));
        Assert.That(failed.CurrentRecords.Select(record => record.ItemId), Is.EqualTo(new[] { "site-01", "site-03", "site-04" }));
        Assert.That(File.Exists(project.OutputPath("site-02")), Is.False);

        project.Stage.FailFor = null;
        StageReport retried = project.Run();

        Assert.That(project.Stage.BuiltItems, Is.EqualTo(new[] { "site-02" }));
        Assert.That(OutcomeOf(retried, "site-02").Kind, Is.EqualTo(OutcomeKind.Built));
        Assert.That(retried.Succeeded, Is.True);
    }

    [Test]
    public void A_failed_rebuild_keeps_the_item_stale_until_a_build_succeeds()
    {
        project.Run();
        project.WriteInput("site-03", "left", "site-03 left, edited\n");
        project.Stage.FailFor = "site-03";

        StageReport failed = project.Run();
        StageReport stillFailing = project.Run();

        Assert.That(OutcomeOf(failed, "site-03").Kind, Is.EqualTo(OutcomeKind.Failed));
        Assert.That(OutcomeOf(stillFailing, "site-03").Kind, Is.EqualTo(OutcomeKind.Failed));
        Assert.That(stillFailing.CurrentRecords.Select(record => record.ItemId), Does.Not.Contain("site-03"));
        Assert.That(project.ReadOutput("site-03"), Is.EqualTo("site-03 left\nsite-03 right\n"), "the old output stays");

        project.Stage.FailFor = null;
        StageReport fixedRun = project.Run();
        Assert.That(OutcomeOf(fixedRun, "site-03").Staleness, Is.EqualTo(new Staleness(StaleReason.InputChanged, "left modified")));
        Assert.That(project.ReadOutput("site-03"), Is.EqualTo("site-03 left, edited\nsite-03 right\n"));
    }

    [Test]
    public void A_stage_that_does_not_write_a_declared_output_fails_that_item()
    {
        project.Stage.WriteNothingFor = "site-01";

        StageReport report = project.Run();

        Assert.That(OutcomeOf(report, "site-01").Kind, Is.EqualTo(OutcomeKind.Failed));
        Assert.That(OutcomeOf(report, "site-01").Error, Is.EqualTo("InvalidOperationException: Stage did not write output 'out' of item site-01."));
        Assert.That(report.Count(OutcomeKind.Built), Is.EqualTo(3));
    }

    [Test]
    public void A_missing_input_fails_its_item_with_a_message_naming_the_path()
    {
        string missing = project.InputPath("site-04", "left");
        File.Delete(missing);

        StageReport report = project.Run();

        Assert.That(OutcomeOf(report, "site-04").Kind, Is.EqualTo(OutcomeKind.Failed));
        Assert.That(OutcomeOf(report, "site-04").Error, Is.EqualTo($"input left is missing: {missing}"));
        Assert.That(project.Stage.BuiltItems, Is.EqualTo(new[] { "site-01", "site-02", "site-03" }));
    }

    [Test]
    public void A_build_removes_the_temporary_files_a_killed_run_left_beside_its_outputs()
    {
        project.Run();
        string leftover = project.OutputPath("site-02") + AtomicFile.TemporaryMarker + "31337-0123456789abcdef0123456789abcdef";
        File.WriteAllText(leftover, "half a tensor");
        string foreign = temp.Write("out/notes.txt" + AtomicFile.TemporaryMarker + "31337-0123456789abcdef0123456789abcdef", "not an output's");

        StageReport report = project.Run();

        Assert.That(report.Count(OutcomeKind.UpToDate), Is.EqualTo(4));
        Assert.That(File.Exists(leftover), Is.False);
        Assert.That(File.Exists(foreign), Is.True);
    }

    [Test]
    public void Explain_leaves_a_killed_runs_temporary_files_alone()
    {
        project.Run();
        string leftover = project.OutputPath("site-02") + AtomicFile.TemporaryMarker + "31337-0123456789abcdef0123456789abcdef";
        File.WriteAllText(leftover, "half a tensor");

        project.Run(dryRun: true);

        Assert.That(File.Exists(leftover), Is.True);
    }

    [Test]
    public void Explain_on_a_fresh_root_says_what_would_be_built_and_writes_no_output_or_log()
    {
        StageReport report = project.Run(dryRun: true);

        Assert.That(report.DryRun, Is.True);
        Assert.That(project.Stage.BuildCalls, Is.Zero);
        Assert.That(report.Outcomes.Select(outcome => (outcome.Kind, outcome.Staleness.Reason)), Is.All.EqualTo((OutcomeKind.WouldBuild, StaleReason.New)));
        Assert.That(report.ReasonCounts, Is.EqualTo(new[] { (StaleReason.New, 4) }));
        Assert.That(report.CurrentRecords, Is.Empty);
        Assert.That(Directory.Exists(temp.PathOf("out")), Is.False);
        Assert.That(project.LogFiles(), Is.Empty);
    }

    [Test]
    public void Explain_after_changes_gives_the_reasons_and_leaves_outputs_and_the_build_log_unchanged()
    {
        project.Run();
        Dictionary<string, byte[]> log = project.LogFiles();
        project.WriteInput("site-01", "left", "site-01 left, edited\n");
        File.Delete(project.OutputPath("site-02"));
        byte[] output = File.ReadAllBytes(project.OutputPath("site-01"));

        StageReport explained = project.Run(dryRun: true);

        Assert.That(project.Stage.BuildCalls, Is.Zero);
        Assert.That(OutcomeOf(explained, "site-01").Kind, Is.EqualTo(OutcomeKind.WouldBuild));
        Assert.That(OutcomeOf(explained, "site-01").Staleness, Is.EqualTo(new Staleness(StaleReason.InputChanged, "left modified")));
        Assert.That(OutcomeOf(explained, "site-02").Staleness.Reason, Is.EqualTo(StaleReason.OutputMissing));
        Assert.That(IdsWith(explained, OutcomeKind.UpToDate), Is.EqualTo(new[] { "site-03", "site-04" }));
        Assert.That(explained.CurrentRecords.Select(record => record.ItemId), Is.EqualTo(new[] { "site-03", "site-04" }));
        Assert.That(project.LogFiles(), Is.EqualTo(log));
        Assert.That(File.ReadAllBytes(project.OutputPath("site-01")), Is.EqualTo(output));
        Assert.That(File.Exists(project.OutputPath("site-02")), Is.False);

        StageReport built = project.Run();
        Assert.That(project.Stage.BuiltItems, Is.EqualTo(new[] { "site-01", "site-02" }), "explaining did not use up the reasons");
        Assert.That(built.Succeeded, Is.True);
    }

    [Test]
    public void Parallel_runs_give_the_same_outputs_log_and_records_as_a_serial_run()
    {
        var serial = new CopyProject(temp.PathOf("serial"), itemCount: 24);
        var parallel = new CopyProject(temp.PathOf("parallel"), itemCount: 24);

        StageReport serialReport = serial.Run(parallelism: 1);
        StageReport parallelReport = parallel.Run(parallelism: 8);

        Assert.That(parallel.Stage.BuildCalls, Is.EqualTo(24));
        Assert.That(parallelReport.Outcomes.Select(outcome => outcome.ItemId), Is.EqualTo(serialReport.Outcomes.Select(outcome => outcome.ItemId)));
        Assert.That(parallelReport.Outcomes.Select(outcome => outcome.Kind), Is.All.EqualTo(OutcomeKind.Built));
        foreach (string id in serial.ItemIds)
        {
            Assert.That(File.ReadAllBytes(parallel.OutputPath(id)), Is.EqualTo(File.ReadAllBytes(serial.OutputPath(id))), id);
        }

        Assert.That(parallel.LogFiles().ToDictionary(file => file.Key, file => LogText.WithoutStamps(file.Value)), Is.EqualTo(serial.LogFiles().ToDictionary(file => file.Key, file => LogText.WithoutStamps(file.Value))));
        Assert.That(ItemManifest.Serialize(parallelReport.CurrentRecords), Is.EqualTo(ItemManifest.Serialize(serialReport.CurrentRecords)));
        Assert.That(parallel.Run(parallelism: 8).Count(OutcomeKind.UpToDate), Is.EqualTo(24));
    }

    [Test]
    public void Discovery_problems_are_failures_and_skipped_items_are_reported_without_failing()
    {
        project.Stage.Problems = [new ItemProblem("site-00", "plate-A", "only 4 of 5 channels")];
        project.Stage.Skipped = [new ItemProblem("site-99", "plate-B", "excluded by the plate map")];

        StageReport report = project.Run();

        Assert.That(report.Outcomes.Select(outcome => outcome.ItemId), Is.EqualTo(new[] { "site-00", "site-01", "site-02", "site-03", "site-04", "site-99" }));
        Assert.That(OutcomeOf(report, "site-00"), Is.EqualTo(ItemOutcome.Failure("site-00", "plate-A", "only 4 of 5 channels")));
        Assert.That(OutcomeOf(report, "site-99"), Is.EqualTo(ItemOutcome.Skip("site-99", "plate-B", "excluded by the plate map")));
        Assert.That(report.Count(OutcomeKind.Built), Is.EqualTo(4));
        Assert.That(report.CurrentRecords, Has.Count.EqualTo(4));
    }

    [Test]
    public void The_observer_hears_the_items_listed_every_item_finished_and_the_same_report()
    {
        var observer = new RecordingObserver();

        StageReport report = project.Run(parallelism: 3, observer: observer);

        Assert.That(observer.Listed, Is.EqualTo(new[] { "copy:4" }));
        Assert.That(observer.FinishedItems.Select(outcome => outcome.ItemId).Order(StringComparer.Ordinal), Is.EqualTo(AllItems));
        Assert.That(observer.FinishedStages, Is.EqualTo(new[] { report }));
    }

    [Test]
    public void A_run_leaves_in_the_stat_cache_no_hash_of_a_file_its_records_vouch_for_by_stamp()
    {
        project.Run();

        StatCache cache = StatCache.Load(project.StatCacheFolder);
        string[] files = project.Stage.Items.SelectMany(item => item.Inputs.Select(input => input.Path).Append(item.Outputs[0].Path)).ToArray();
        Assert.That(files, Has.Length.EqualTo(4 * 3));
        Assert.That(files.Where(cache.Holds), Is.Empty);
        Assert.That(StatCacheStamps(), Is.Empty);
    }

    [Test]
    public void A_cancelled_run_throws_and_builds_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var runner = new StageRunner(new Workspace(project.StateDirectory, 2), new RecordingObserver());

        Assert.Throws<OperationCanceledException>(() => runner.Run(project.Stage, dryRun: false, cancellation.Token));
        Assert.That(project.Stage.BuildCalls, Is.Zero);
    }

    private Dictionary<string, FileStamp> StatCacheStamps() =>
        (Directory.Exists(project.StatCacheFolder) ? Directory.GetFiles(project.StatCacheFolder) : []).ToDictionary(file => file, file => FileStatReader.TryRead(file)!.Value, StringComparer.Ordinal);

    private static bool Contains(byte[] content, string text) => content.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>New content behind unchanged stamps in every item's input and output: a run that read any would see it.</summary>
    private void ChangeEveryFileKeepingItsStamp()
    {
        foreach (string id in AllItems)
        {
            StampForger.ShoutKeepingStamp(project.InputPath(id, "left"));
            StampForger.ShoutKeepingStamp(project.OutputPath(id));
        }
    }
}
