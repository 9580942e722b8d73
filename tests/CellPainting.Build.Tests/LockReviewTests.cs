using System.Text;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.LockFiles;

namespace CellPainting.Build.Tests;

/// <summary>LockDiff and LockMerge as the Cake targets run them: on committed lock files, and on shard builds of the sample.</summary>
public sealed class LockReviewTests
{
    private const string Compound = "BR00116991__2020-11-05T19_51_35-Measurement1";
    private const string Crispr = "BR00117000__2020-11-03T07_28_24-Measurement1";
    private const string Orf = "BR00117006__2020-11-02T19_54_45-Measurement1";

    private string root = string.Empty;

    [SetUp]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("cellpainting-lock-review-").FullName;

    [TearDown]
    public void DeleteRoot() => Directory.Delete(root, recursive: true);

    [Test]
    public void LockDiff_compares_the_configured_lock_with_a_lock_file_and_needs_no_data_nor_the_rest_of_the_config()
    {
        // Nothing but the lock path is read from this config: the unknown key and the missing batch do not matter.
        Write("review.yml", "cpjump:\n  build: { lock: \"locks/data.lock.json\" }\n  unknown: 1\n");
        RecordCopy("base/data.lock.json", "h1");
        RecordCopy("locks/data.lock.json", "h2");
        var output = new StringWriter();

        LockDiff diff = LockReview.Diff(Options("review.yml"), "base/data.lock.json", "markdown", null, output);

        Assert.That(diff.Base, Is.EqualTo("base/data.lock.json"));
        Assert.That(diff.Head, Is.EqualTo("locks/data.lock.json"));
        Assert.That(output.ToString(), Does.StartWith("### Lock changes: `base/data.lock.json` → `locks/data.lock.json`\n"));
        Assert.That(output.ToString(), Does.Contain("- items changed (1; outputs 1): `plate-A/site-01`\n"));
    }

    [Test]
    public void LockDiff_writes_its_json_form_to_the_out_file()
    {
        Write("review.yml", "cpjump: {}\n");
        RecordCopy("base.lock.json", "h1");
        RecordCopy("data.lock.json", "h2");

        LockDiff diff = LockReview.Diff(Options("review.yml"), "base.lock.json", "json", "review/diff.json", TextWriter.Null);

        Assert.That(File.ReadAllBytes(Path.Combine(root, "review", "diff.json")), Is.EqualTo(LockDiffJson.Render(diff)));
    }

    [Test]
    public void A_base_that_is_no_file_is_read_as_a_git_revision()
    {
        Write("review.yml", "cpjump: {}\n");
        RecordCopy("data.lock.json", "h1");

        var thrown = Assert.Throws<LockFileException>(() => LockReview.Diff(Options("review.yml"), "base.lock.json", "markdown", null, TextWriter.Null));

        Assert.That(thrown!.Message, Does.Contain("not inside a git repository, so 'base.lock.json' cannot be read"));
    }

    [Test]
    public void LockDiff_on_a_lock_with_conflict_markers_fails_naming_the_file_and_line()
    {
        Write("review.yml", "cpjump: {}\n");
        RecordCopy("base.lock.json", "h1");
        RecordCopy("data.lock.json", "h2");
        File.AppendAllText(Path.Combine(root, "data.lock.json"), "<<<<<<< HEAD\n");
        int line = File.ReadAllLines(Path.Combine(root, "data.lock.json")).Length;

        var thrown = Assert.Throws<LockFileException>(() => LockReview.Diff(Options("review.yml"), "base.lock.json", "markdown", null, TextWriter.Null));

        Assert.That(thrown!.Message, Does.StartWith($"data.lock.json:{line}: merge-conflict marker"));
    }

    [Test]
    public void LockDiff_refuses_an_unknown_format_before_reading_anything()
    {
        var thrown = Assert.Throws<ArgumentException>(() => LockReview.Diff(Options("missing.yml"), "HEAD", "html", null, TextWriter.Null));

        Assert.That(thrown!.Message, Is.EqualTo("--format: expected markdown or json, found 'html'."));
    }

    [Test]
    public void Shard_builds_merged_then_the_whole_dataset_targets_give_the_full_builds_lock_byte_for_byte()
    {
        WriteSampleConfig("full", "full", Compound, Crispr, Orf);
        // The shards and the merging machine share one output folder, as machines on shared storage would.
        WriteSampleConfig("shard-a", "shared", Compound, Crispr);
        WriteSampleConfig("shard-b", "shared", Orf);
        WriteSampleConfig("merged", "shared", Compound, Crispr, Orf);
        using (DataBuild full = Open("full"))
        {
            full.Sample();
            full.Tensors();
            full.Features();
            full.Metadata();
            full.Splits();
            full.WellIndex();
        }

        foreach (string shard in new[] { "shard-a", "shard-b" })
        {
            using DataBuild build = Open(shard);
            build.Tensors();
            build.Features();
        }

        using (DataBuild merged = Open("merged"))
        {
            merged.MergeLocks(["shard-a/data.lock.json", "shard-b/data.lock.json"]);
            // Metadata and splits cover the whole plate set, and well indexes read the metadata cache: built once, after the merge.
            merged.Metadata();
            merged.Splits();
            merged.WellIndex();
        }

        Assert.That(LockFiles("merged"), Is.EqualTo(LockFiles("full")));
        Assert.That(LockFiles("merged").Keys, Has.Member("data.lock.d/features/BR00117006.tsv"));
    }

    [Test]
    public void Shards_that_each_built_metadata_for_their_own_plates_do_not_merge_and_the_error_names_the_parameter()
    {
        WriteSampleConfig("shard-a", "shared", Compound, Crispr);
        WriteSampleConfig("shard-b", "shared", Orf);
        WriteSampleConfig("merged", "shared", Compound, Crispr, Orf);
        using (DataBuild sample = Open("merged"))
        {
            sample.Sample();
        }

        foreach (string shard in new[] { "shard-a", "shard-b" })
        {
            using DataBuild build = Open(shard);
            build.Metadata();
        }

        using DataBuild merged = Open("merged");
        var thrown = Assert.Throws<LockConflictException>(() => merged.MergeLocks(["shard-a/data.lock.json", "shard-b/data.lock.json"]));

        Assert.That(thrown!.Conflicts, Has.Member("metadata: parameter plates is 'BR00116991 BR00117000' in shard-a/data.lock.json but 'BR00117006' in shard-b/data.lock.json"));
        Assert.That(File.Exists(Path.Combine(root, "merged", "data.lock.json")), Is.False);
    }

    [Test]
    public void LockMerge_without_shard_locks_says_how_to_name_them()
    {
        WriteSampleConfig("merged", "shared", Compound);
        using DataBuild merged = Open("merged");

        var thrown = Assert.Throws<ArgumentException>(() => merged.MergeLocks([]));

        Assert.That(thrown!.Message, Is.EqualTo("LockMerge needs the shard locks: --from=<lock file>, once per shard, or --from-run=<run id> for the shard locks of a run."));
    }

    private BuildOptions Options(string config) => new(root, config, Explain: false, TimeSpan.Zero);

    private DataBuild Open(string name) => DataBuild.Open(Options(name + ".yml"), TextWriter.Null);

    private void Write(string relativePath, string text)
    {
        string path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>A one-target lock whose one item's output hash is <paramref name="output"/>.</summary>
    private void RecordCopy(string lockPath, string output)
    {
        var manifest = Encoding.UTF8.GetBytes($"# item\tfingerprint\toutputs\nplate-A/site-01\tf1\tout={output}\n");
        new LockStore(Path.Combine(root, lockPath)).Record(
            "copy",
            1,
            new Dictionary<string, string>(),
            new Dictionary<string, GroupContent> { ["plate-A"] = new(manifest, 1, new Dictionary<string, string>()) });
    }

    /// <summary>A config over some of the sample's plates, with its state and lock under <paramref name="name"/>/ and its outputs under <paramref name="outputs"/>/.</summary>
    private void WriteSampleConfig(string name, string outputs, params string[] plates) => Write(name + ".yml", $"""
        cpjump:
          batch: "2020_11_04_CPJUMP1"
          plates: [{string.Join(", ", plates.Select(plate => $"\"{plate}\""))}]
          local: {"{"} raw_images: "data/raw", metadata: "data/metadata", tensors: "{outputs}/tensors", features: "{outputs}/features", splits: "{name}/splits", state: "{name}/.cpbuild" {"}"}
          {TinyModel.ExtractionSection}
          tensors: {"{"} size: 32 {"}"}
          build: {"{"} parallelism: 2, lock: "{name}/data.lock.json" {"}"}
          sample: {"{"} image_size: 80, wells: ["A01", "A02", "E01"], sites: 1 {"}"}
        """);

    /// <summary>A lock and its manifests, by path relative to the lock's folder.</summary>
    private Dictionary<string, byte[]> LockFiles(string name)
    {
        string folder = Path.Combine(root, name);
        return Directory.EnumerateFiles(folder, "data.lock.*", SearchOption.TopDirectoryOnly)
            .Concat(Directory.EnumerateFiles(Path.Combine(folder, "data.lock.d"), "*", SearchOption.AllDirectories))
            .ToDictionary(path => Path.GetRelativePath(folder, path).Replace('\\', '/'), File.ReadAllBytes);
    }
}
