using System.Text.Json;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.LockFiles;

namespace CellPainting.Build.Tests;

/// <summary>
/// .github/workflows/data-build.yml: its job graph as GitHub Actions reads it, and its steps run on this machine in
/// order on a sample dataset (the real ./build.sh commands; each job on a fresh data root, as on its own runner, with
/// only artifacts between them): the merged lock is the lock of one build.
/// </summary>
public sealed class DataBuildWorkflowTests
{
    private static readonly string RepositoryRoot = Path.GetDirectoryName(TinyModel.ModelsDirectory)!;

    private static WorkflowFile Workflow() => WorkflowFile.Load(Path.Combine(RepositoryRoot, ".github", "workflows", "data-build.yml"));

    [Test]
    public void The_plan_job_feeds_the_shard_matrix_and_the_merge_job_needs_both()
    {
        WorkflowFile workflow = Workflow();

        Assert.That(workflow.Jobs.Select(job => (job.Name, string.Join(",", job.Needs))), Is.EqualTo(new[] { ("plan", ""), ("shard", "plan"), ("merge", "plan,shard") }));
        Assert.That(workflow.Job("plan").Outputs["matrix"], Is.EqualTo("${{ steps.plan.outputs.matrix }}"));
        Assert.That(workflow.Job("plan").Steps.Single(step => step.Id == "plan").Run, Does.Contain("--target=ShardPlan --shards=\"$SHARDS\"").And.Contain("matrix=$(cat artifacts/shard-plan.json)\" >> \"$GITHUB_OUTPUT\""));
        Assert.That(workflow.Job("shard").Matrix, Is.EqualTo("${{ fromJSON(needs.plan.outputs.matrix) }}"));
        Assert.That(workflow.Job("shard").RunsOn, Is.EqualTo("${{ inputs.runner || 'ubuntu-latest' }}"), "the runner label input picks the shard jobs' runners (GPU shards)");
        Assert.That(workflow.Job("shard").Steps.Select(step => step.Run).OfType<string>().Single(), Does.Contain("--shard=\"$SHARD\" --shard-plan=artifacts/shard-plan.json"));
        Assert.That(workflow.Job("merge").Steps.Select(step => step.Run).OfType<string>(), Has.Some.Contains("--target=LockMerge --from-run=\"$RUN_ID\"").And.Some.Contains("--target=LockDiff").And.Some.Contains("gh pr comment"));
        Assert.That(workflow.Job("merge").Steps.Where(step => step.Uses?.StartsWith("actions/upload-artifact", StringComparison.Ordinal) == true).Select(step => step.With["name"]), Is.EqualTo(new[] { "merged-lock" }));
        // The env defaults of a pull_request run are the dispatch inputs' defaults.
        Assert.That(new[] { ("CONFIG", "config"), ("SHARDS", "shards"), ("TARGET", "target") }.Select(pair => workflow.Env[pair.Item1]), Is.EqualTo(new[] { "config", "shards", "target" }.Select(input => $"${{{{ inputs.{input} || '{workflow.InputDefaults[input]}' }}}}")));
    }

    [Test]
    public void Its_steps_run_in_order_on_the_sample_and_the_merged_lock_is_the_lock_of_one_build()
    {
        string stamp = Path.Combine(RepositoryRoot, "artifacts", ".build-stamp");
        if (!File.Exists(stamp) || File.GetLastWriteTimeUtc(stamp) < File.GetLastWriteTimeUtc(typeof(DataBuild).Assembly.Location))
        {
            Assert.Fail("./build.sh would rebuild the library under the running tests: run the suite through ./build.sh --target=Test (or touch artifacts/.build-stamp after building).");
        }

        using var temp = new CellPainting.TestSupport.TempDirectory();
        string machine = temp.PathOf("machine");
        File.WriteAllText(temp.PathOf("sample.yml"), SampleConfig(machine));
        Directory.CreateDirectory(temp.PathOf("base"));
        File.WriteAllBytes(temp.PathOf("base", "data.lock.json"), LockFileSerializer.Serialize(LockFile.Empty));
        Directory.CreateDirectory(temp.PathOf("store"));
        var run = new LocalWorkflowRun(Workflow(), RepositoryRoot, temp.PathOf("store"), new Dictionary<string, string>
        {
            ["CONFIG"] = temp.PathOf("sample.yml"),
            ["SHARDS"] = "2",
            ["RUN_ID"] = "gha",
            ["SHARD_LOCKS"] = Path.Combine(machine, "shards", "gha"),
            ["DATA"] = Path.Combine(machine, "data"),
            ["LOCK"] = Path.Combine(machine, "data.lock.json"),
            ["LOCK_MANIFESTS"] = Path.Combine(machine, "data.lock.d"),
            ["LOCK_BASE"] = temp.PathOf("base", "data.lock.json"),
        }, () =>
        {
            if (Directory.Exists(machine))
            {
                Directory.Delete(machine, recursive: true);
            }
        });

        foreach (WorkflowJob job in Workflow().Jobs)
        {
            run.RunJob(job);
        }

        Assert.That(run.Log.Where(line => line.StartsWith("shard[", StringComparison.Ordinal)).Select(line => line.Split(':')[0]).Distinct(), Is.EqualTo(new[] { "shard[1/2]", "shard[2/2]" }));
        Assert.That(run.Log, Has.Some.EqualTo("merge: skipped (github.event_name == 'pull_request')"));
        Assert.That(File.ReadAllText(temp.PathOf("store", "merged-lock", "data.lock.json")), Does.Contain("\"tensors\"").And.Contain("\"well-index\""));
        string summary = File.ReadAllText(Path.Combine(RepositoryRoot, "artifacts", "lock-diff.md"));
        Assert.That(summary, Does.Contain("tensors").And.Contain("features"));

        // The same dataset built by one machine.
        string single = temp.PathOf("single");
        File.WriteAllText(temp.PathOf("single.yml"), SampleConfig(single));
        using (DataBuild build = DataBuild.Open(new BuildOptions(RepositoryRoot, temp.PathOf("single.yml"), Explain: false, TimeSpan.Zero), TextWriter.Null))
        {
            build.Sample();
            build.TensorsAndFeatures();
            build.Metadata();
            build.Splits();
            build.WellIndex();
        }

        Assert.That(LockFiles(temp.PathOf("store", "merged-lock")), Is.EqualTo(LockFiles(single)));
        using JsonDocument plan = JsonDocument.Parse(File.ReadAllText(temp.PathOf("store", "shard-plan", "shard-plan.json")));
        Assert.That(plan.RootElement.GetProperty("include").EnumerateArray().Sum(entry => entry.GetProperty("sites").GetInt32()), Is.EqualTo(5));
    }

    /// <summary>The sample's three plates, small: 6 sites, one incomplete; every path under <paramref name="machine"/>.</summary>
    private static string SampleConfig(string machine) => $$"""
        cpjump:
          batch: "2020_11_04_CPJUMP1"
          plates:
            - BR00116991__2020-11-05T19_51_35-Measurement1
            - BR00117000__2020-11-03T07_28_24-Measurement1
            - BR00117006__2020-11-02T19_54_45-Measurement1
          local: { raw_images: "{{machine}}/data/raw", metadata: "{{machine}}/data/metadata", tensors: "{{machine}}/data/tensors", features: "{{machine}}/data/features", splits: "{{machine}}/data/splits", state: "{{machine}}/data/.cpbuild" }
          {{TinyModel.ExtractionSection}}
          tensors: { size: 32 }
          build: { lock: "{{machine}}/data.lock.json", parallelism: 2 }
          sample: { image_size: 80, wells: ["A01", "A02"], sites: 1, incomplete_sites: ["BR00116991/r01c02f01:ch3"] }
        """;

    private static Dictionary<string, byte[]> LockFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path))
            .Where(path => path.StartsWith("data.lock", StringComparison.Ordinal))
            .ToDictionary(path => path, path => File.ReadAllBytes(Path.Combine(folder, path)));
}
