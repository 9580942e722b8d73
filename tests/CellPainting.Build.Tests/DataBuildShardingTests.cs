using System.Diagnostics;
using System.Text;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Execution;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Sharding;

namespace CellPainting.Build.Tests;

/// <summary>
/// Sharded builds on the synthesised sample: N sessions with --shard=K/N on one data root (shared storage), their
/// shard locks merged, then the whole-dataset targets once: what one machine would have built, byte for byte.
/// </summary>
public sealed class DataBuildShardingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private SampleRoot sample = null!;

    [SetUp]
    public void CreateSample() => sample = new SampleRoot();

    [TearDown]
    public void DeleteSample() => sample.Dispose();

    private BuildOptions Options(string? shard = null, string run = "test", string? plan = null) =>
        new BuildOptions(sample.Root, "sample.yml", Explain: false, TimeSpan.Zero).WithSharding(shard, plan, run);

    private DataBuild Open(string? shard = null, string run = "test", string? plan = null, TextWriter? output = null) =>
        DataBuild.Open(Options(shard, run, plan), output ?? TextWriter.Null);

    /// <summary>Outputs, the lock and its manifests; not the shard locks or plan, which a single build does not write.</summary>
    private Dictionary<string, byte[]> OutputsAndLock() =>
        sample.Snapshot().Where(pair => !pair.Key.StartsWith("shard", StringComparison.Ordinal)).ToDictionary();

    private void DeleteOutputsLockAndState()
    {
        foreach (string folder in new[] { "data.lock.d", "shards", "data/tensors", "data/features", "data/splits", "data/.cpbuild", "data/metadata/cache" })
        {
            if (Directory.Exists(sample.PathOf(folder)))
            {
                Directory.Delete(sample.PathOf(folder), recursive: true);
            }
        }

        File.Delete(sample.LockPath);
    }

    private StageReport[] BuildShard(string shard, string run = "test", string? plan = null)
    {
        using DataBuild build = Open(shard, run, plan);
        SiteRun sites = build.TensorsAndFeatures();
        return [sites.Tensors, sites.Features.Report];
    }

    private void MergeAndFinish(params string[] runs)
    {
        using DataBuild build = Open();
        build.MergeLocks([], runs);
        build.Metadata();
        build.Splits();
        build.WellIndex();
    }

    [TestCase(2, false, TestName = "Two shards (a plate each) merged give the outputs and lock of one build")]
    [TestCase(3, false, TestName = "Three shards of two plates (sites split) merged give the outputs and lock of one build")]
    [TestCase(2, true, TestName = "Two shards following a plan made beforehand merged give the outputs and lock of one build")]
    public void Sharded_builds_merged_give_the_outputs_and_lock_of_one_build(int shards, bool planned)
    {
        sample.RunAll();
        Dictionary<string, byte[]> single = OutputsAndLock();
        DeleteOutputsLockAndState();
        string? plan = null;
        if (planned)
        {
            ShardPlanner.Plan(Options(), shards, "shard-plan.json", TextWriter.Null);
            plan = "shard-plan.json";
        }

        StageReport[][] reports = Enumerable.Range(1, shards).Select(index => BuildShard($"{index}/{shards}", plan: plan)).ToArray();
        MergeAndFinish("test");

        Assert.That(reports.Select(pair => pair[0].Count(OutcomeKind.Built)).Sum(), Is.EqualTo(3), "each complete site built once over the shards");
        Assert.That(reports.Select(pair => pair[0].Count(OutcomeKind.Skipped)).Sum(), Is.EqualTo(1), "the incomplete site reported once");
        Assert.That(reports.All(pair => pair[0].Outcomes.Select(outcome => outcome.ItemId).SequenceEqual(pair[1].Outcomes.Select(outcome => outcome.ItemId))), Is.True, "tensors and features of a shard cover the same sites");
        Assert.That(OutputsAndLock(), Is.EqualTo(single));
    }

    [Test]
    public void A_shard_rerun_after_one_tiff_changed_rebuilds_that_site_alone()
    {
        BuildShard("1/2");
        BuildShard("2/2");
        File.AppendAllText(Directory.EnumerateFiles(sample.PathOf("data", "raw"), "r01c01f01p01-ch1sk1fk1fl1.tiff", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First(), "x");

        StageReport[][] again = [BuildShard("1/2"), BuildShard("2/2")];

        // The first plate by name (one complete site) is shard 2's: the second plate has two sites and goes first.
        Assert.That(again.Select(pair => pair.Select(report => report.Count(OutcomeKind.Built)).ToArray()), Is.EqualTo(new[] { new[] { 0, 0 }, new[] { 1, 1 } }));
    }

    [Test]
    public void Shards_with_different_parameters_or_inputs_fail_at_merge_naming_every_conflict_and_write_nothing()
    {
        BuildShard("1/2", run: "a");
        BuildShard("2/2", run: "a");
        sample.WriteConfig(tensorSize: 48);
        File.AppendAllText(Directory.EnumerateFiles(sample.PathOf("data", "raw", "2020_11_04_CPJUMP1", SampleRoot.SecondPlate), "r01c01f01p01-ch1sk1fk1fl1.tiff", SearchOption.AllDirectories).Single(), "x");
        BuildShard("1/2", run: "b"); // the second plate's shard (two sites, so first), from other parameters and one other TIFF

        using DataBuild build = Open();
        var thrown = Assert.Throws<LockConflictException>(() => build.MergeLocks(["shards/b/shard-1-of-2/data.lock.json"], ["a"]));

        const string B = "shards/b/shard-1-of-2/data.lock.json";
        Assert.That(thrown!.Conflicts, Has.Count.EqualTo(4));
        Assert.That(thrown.Conflicts[0], Does.StartWith($"features/BR00117000: differs between {B} and shards/a/shard-1-of-2/data.lock.json").And.EndWith("1 item(s) differ: BR00117000/r01c01f01"));
        Assert.That(thrown.Conflicts[1], Is.EqualTo($"tensors: parameter size is '48' in {B} but '32' in shards/a/shard-1-of-2/data.lock.json"));
        Assert.That(thrown.Conflicts[2], Does.StartWith($"tensors/BR00117000: differs between {B} and").And.EndWith("2 item(s) differ: BR00117000/r01c01f01, BR00117000/r01c02f01"));
        Assert.That(thrown.Conflicts[3], Is.EqualTo($"tensors: parameter size is '48' in {B} but '32' in shards/a/shard-2-of-2/data.lock.json"));
        Assert.That(File.Exists(sample.LockPath), Is.False);
    }

    [Test]
    public void A_shard_task_killed_mid_run_leaves_no_shard_lock_and_rerun_alone_lets_the_merge_complete()
    {
        // Enough large tensors that the child is still building when killed.
        sample.WriteConfig(tensorSize: 512, plates: [SampleRoot.FirstPlate]);
        File.WriteAllText(sample.PathOf("sample.yml"), File.ReadAllText(sample.PathOf("sample.yml")).Replace("wells: [\"A01\", \"A02\"], sites: 1", "wells: [\"A01\", \"A02\", \"A03\", \"A04\"], sites: 9", StringComparison.Ordinal).Replace("parallelism: 2", "parallelism: 1", StringComparison.Ordinal));
        using (DataBuild build = Open())
        {
            build.Sample();
            build.Tensors();
        }

        Dictionary<string, byte[]> single = OutputsAndLock();
        DeleteOutputsLockAndState();
        using (DataBuild build = Open("2/2"))
        {
            build.Tensors();
        }

        var output = new StringBuilder();
        using (Process child = ChildBuild.Start(sample.Root, "sample.yml", output, "1/2", "test"))
        {
            try
            {
                WaitForBuiltSites(child, output, sample.PathOf("data", ".cpbuild", "shards", "shard-1-of-2", "logs", "tensors", "BR00116991.log"));
            }
            finally
            {
                child.Kill();
                child.WaitForExit();
            }
        }

        Assert.That(Directory.Exists(sample.PathOf("shards", "test", "shard-1-of-2")), Is.False, "no shard lock, not part of one");
        using (DataBuild build = Open())
        {
            Assert.That(Assert.Throws<LockFileException>(() => build.MergeLocks([], ["test"]))!.Message, Does.EndWith("shard-1-of-2 missing (1 of 2 shards finished); re-run those tasks."));
        }

        using (DataBuild build = Open("1/2"))
        {
            StageReport resumed = build.Tensors();
            Assert.That(resumed.Count(OutcomeKind.UpToDate), Is.GreaterThan(0), "sites the killed task finished are not redone");
        }

        using (DataBuild build = Open())
        {
            build.MergeLocks([], ["test"]);
        }

        Assert.That(Directory.EnumerateDirectories(sample.PathOf("shards", "test")).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "shard-1-of-2", "shard-2-of-2" }).AsCollection, "the killed task's staging folder is gone");
        Assert.That(OutputsAndLock(), Is.EqualTo(single));
    }

    [TestCase("Metadata")]
    [TestCase("Splits")]
    [TestCase("WellIndex")]
    [TestCase("LockMerge")]
    public void A_whole_dataset_target_refuses_a_shard(string target)
    {
        using DataBuild build = Open("1/2");
        Action run = target switch
        {
            "Metadata" => () => build.Metadata(),
            "Splits" => () => build.Splits(),
            "WellIndex" => () => build.WellIndex(),
            _ => () => build.MergeLocks([], ["test"]),
        };

        Assert.That(Assert.Throws<ShardSpecException>(() => run())!.Message, Does.StartWith($"{target} is not a per-item target: run it once, without --shard, after LockMerge"));
    }

    [Test]
    public void Bad_sharding_arguments_are_clear_errors()
    {
        Assert.That(Assert.Throws<ShardSpecException>(() => Options("3/2"))!.Message, Does.Contain("shard 3 of 2 does not exist"));
        Assert.That(Assert.Throws<ShardSpecException>(() => Options(plan: "plan.json"))!.Message, Does.Contain("--shard-plan: a shard plan is for a sharded build"));
        Assert.That(Assert.Throws<ShardSpecException>(() => Open("1/2", run: "../x"))!.Message, Does.Contain("--run: expected a name"));
        Assert.That(Assert.Throws<ShardSpecException>(() => Open("1/2", plan: "missing.json"))!.Message, Does.Contain("--shard-plan: ").And.Contain("missing.json: no such file"));
        File.WriteAllText(sample.PathOf("plan.json"), "{\"include\": [{\"shard\": \"1/3\"}]}");
        Assert.That(Assert.Throws<ShardSpecException>(() => Open("1/2", plan: "plan.json"))!.Message, Does.Contain("plans 1 shards, but --shard says 2"));
    }

    /// <summary>Polls the shard's build log (no fixed sleeps) until a few sites are done.</summary>
    private static void WaitForBuiltSites(Process child, StringBuilder output, string logPath)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (File.Exists(logPath))
            {
                using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (new StreamReader(stream).ReadToEnd().Split('\n').Count(BuildLogLines.IsRecord) >= 3)
                {
                    return;
                }
            }

            if (child.HasExited || clock.Elapsed > Patience)
            {
                Assert.Fail($"the shard task {(child.HasExited ? $"exited ({child.ExitCode})" : "made no progress")} before it could be killed:\n{output}");
            }

            Thread.Sleep(2);
        }
    }
}
