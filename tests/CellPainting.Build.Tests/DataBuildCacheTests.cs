using System.Diagnostics;
using System.Text;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Caching;
using CellPainting.Engine.Execution;
using CellPainting.Engine.IO;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>
/// Two machines and a folder cache between them, through the real targets: machine A builds the sample in read-write
/// mode; B, a fresh copy with an empty data root (its raw images synthesised), reads the cache.
/// </summary>
public sealed class DataBuildCacheTests
{
    private TempDirectory cacheHome = null!;
    private SampleRoot machineA = null!;
    private SampleRoot machineB = null!;

    private string CacheRoot => cacheHome.PathOf("cache");

    [SetUp]
    public void BuildTheSampleOnAThroughTheCache()
    {
        cacheHome = new TempDirectory();
        Directory.CreateDirectory(CacheRoot);
        machineA = new SampleRoot();
        machineA.WriteConfig(sections: [CacheSection(CacheRoot, "read-write")]);
        machineA.RunAll();
        machineB = new SampleRoot();
        machineB.WriteConfig(sections: [CacheSection(CacheRoot, "read")]);
    }

    [TearDown]
    public void DeleteMachinesAndCache()
    {
        machineA.Dispose();
        machineB.Dispose();
        cacheHome.Dispose();
    }

    internal static string CacheSection(string url, string mode, bool required = false) =>
        $$"""cache: { url: "{{url}}", mode: "{{mode}}", required: {{(required ? "true" : "false")}} }""";

    /// <summary>The main job's item targets on <paramref name="machine"/>, returning each stage's report.</summary>
    internal static IReadOnlyList<StageReport> RunAll(SampleRoot machine, TextWriter output)
    {
        using DataBuild build = machine.Open(output: output);
        SiteRun sites = build.TensorsAndFeatures();
        return [sites.Tensors, sites.Features.Report, build.Metadata(), build.Splits(), build.WellIndex()];
    }

    /// <summary>Outputs and lock, without the config (the machines' configs differ in the cache mode).</summary>
    internal static Dictionary<string, byte[]> Outputs(SampleRoot machine)
    {
        Dictionary<string, byte[]> snapshot = machine.Snapshot();
        snapshot.Remove("sample.yml");
        return snapshot;
    }

    /// <summary>The outputs and lock files that differ between two machines, or are on one only.</summary>
    internal static IReadOnlyList<string> Differences(SampleRoot left, SampleRoot right)
    {
        Dictionary<string, byte[]> one = Outputs(left);
        Dictionary<string, byte[]> other = Outputs(right);
        return [.. one.Keys.Union(other.Keys).Where(path => !one.TryGetValue(path, out byte[]? mine) || !other.TryGetValue(path, out byte[]? theirs) || !mine.AsSpan().SequenceEqual(theirs)).Order(StringComparer.Ordinal)];
    }

    private static int Buildable(StageReport report) => report.Outcomes.Count(outcome => outcome.Kind is not (OutcomeKind.Skipped or OutcomeKind.Failed));

    [Test]
    public void A_fresh_copy_reading_the_cache_builds_nothing_fetches_every_item_and_ends_byte_identical_to_the_builder()
    {
        var output = new StringWriter();
        IReadOnlyList<StageReport> reports = RunAll(machineB, output);
        IReadOnlyList<StageReport> again = RunAll(machineB, TextWriter.Null);

        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(report => report.Count(OutcomeKind.Built)), Is.All.Zero);
            Assert.That(reports[0].Count(OutcomeKind.Fetched), Is.EqualTo(Buildable(reports[0])).And.Positive, "every tensor fetched");
            Assert.That(reports[1].Count(OutcomeKind.Fetched), Is.EqualTo(Buildable(reports[1])).And.Positive, "every feature fetched");
            Assert.That(reports.Select(report => report.Count(OutcomeKind.Fetched) == Buildable(report)), Is.All.True);
            Assert.That(reports[0].FetchedBytes, Is.EqualTo(Directory.EnumerateFiles(machineA.PathOf("data", "tensors"), "*.pt", SearchOption.AllDirectories).Sum(path => new FileInfo(path).Length)));
            Assert.That(output.ToString(), Does.Contain($"tensors: {reports[0].Outcomes.Count} items: 0 up to date, 0 rebuilt, {reports[0].Count(OutcomeKind.Fetched)} fetched ("));
            Assert.That(Differences(machineB, machineA), Is.Empty, "outputs and lock byte-identical to A's");
            Assert.That(again.Select(report => report.Count(OutcomeKind.UpToDate) == Buildable(report)), Is.All.True, "a second run on B is all up to date");
        });
    }

    [Test]
    public void One_changed_tiff_on_the_copy_builds_that_site_and_fetches_the_rest()
    {
        machineB.ChangeFirstSiteTiff();

        IReadOnlyList<StageReport> reports = RunAll(machineB, TextWriter.Null);

        foreach (StageReport sites in reports.Take(2))
        {
            ItemOutcome built = sites.Outcomes.Single(outcome => outcome.Kind == OutcomeKind.Built);
            Assert.Multiple(() =>
            {
                Assert.That(built.ItemId, Is.EqualTo("BR00116991/r01c01f01"));
                Assert.That(built.Staleness.Reason, Is.EqualTo(StaleReason.New));
                Assert.That(sites.Count(OutcomeKind.Fetched), Is.EqualTo(Buildable(sites) - 1));
            });
        }
    }

    [Test]
    public void Explain_on_the_copy_lists_items_in_the_cache_apart_from_items_it_would_build_and_writes_nothing()
    {
        File.Delete(Directory.EnumerateFiles(Path.Combine(CacheRoot, "ac"), "*", SearchOption.AllDirectories)
            .First(path => CacheEntryOf(path).Stage == "tensors" && CacheEntryOf(path).Outputs.Count == 1));
        var output = new StringWriter();

        using (DataBuild build = machineB.Open(explain: true, output: output))
        {
            SiteRun sites = build.TensorsAndFeatures();
            Assert.Multiple(() =>
            {
                Assert.That(sites.Tensors.Count(OutcomeKind.WouldBuild), Is.EqualTo(1));
                Assert.That(sites.Tensors.Count(OutcomeKind.WouldFetch), Is.EqualTo(Buildable(sites.Tensors) - 1));
                Assert.That(sites.Features.Report.Count(OutcomeKind.WouldFetch), Is.EqualTo(Buildable(sites.Features.Report)));
            });
        }

        string text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("would fetch BR00116991/r01c01f01: stale, in cache (new)").Or.Contain("would fetch BR00117000/r01c01f01: stale, in cache (new)"));
            Assert.That(text, Does.Match("would rebuild BR0011[0-9]+/r01c0[12]f01: new"));
            Assert.That(SampleRoot.FilesUnder(machineB.PathOf("data", "tensors")), Is.Empty, "nothing but the run locks");
            Assert.That(File.Exists(machineB.LockPath), Is.False);
        });
    }

    [Test]
    public void A_required_cache_that_does_not_answer_fails_the_run_before_any_work()
    {
        string missing = cacheHome.PathOf("not-mounted");
        machineB.WriteConfig(sections: [CacheSection(missing, "read", required: true)]);

        var error = Assert.Throws<BuildFailedException>(() => machineB.Open().Dispose());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain($"cache {missing} is unreachable and cpjump.cache.required is true").And.Contain("nothing was built"));
            Assert.That(SampleRoot.FilesUnder(machineB.PathOf("data", "tensors")), Is.Empty, "nothing but the run locks");
            Assert.That(File.Exists(machineB.LockPath), Is.False);
        });
    }

    [Test]
    public void A_cache_that_does_not_answer_and_is_not_required_gives_one_warning_and_the_build_completes_locally()
    {
        machineB.WriteConfig(sections: [CacheSection(cacheHome.PathOf("not-mounted"), "read-write")]);
        var output = new StringWriter();

        IReadOnlyList<StageReport> reports = RunAll(machineB, output);

        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(report => report.Count(OutcomeKind.Built) == Buildable(report)), Is.All.True);
            Assert.That(output.ToString().Split('\n').Count(line => line.Contains("warning: cache", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(Differences(machineB, machineA), Is.Empty);
            Assert.That(Directory.Exists(cacheHome.PathOf("not-mounted")), Is.False);
        });
    }

    [Test]
    public void Two_build_processes_uploading_the_same_items_at_once_leave_only_whole_entries_and_blobs()
    {
        string shared = cacheHome.PathOf("shared");
        Directory.CreateDirectory(shared);
        machineA.WriteConfig(sections: [CacheSection(shared, "read-write")]);
        machineB.WriteConfig(sections: [CacheSection(shared, "read-write")]);
        Directory.Delete(machineA.PathOf("data", "tensors"), recursive: true);
        var outputs = new[] { new StringBuilder(), new StringBuilder() };

        using (Process first = ChildBuild.Start(machineA.Root, "sample.yml", outputs[0]))
        using (Process second = ChildBuild.Start(machineB.Root, "sample.yml", outputs[1]))
        {
            Assert.That(first.WaitForExit(TimeSpan.FromSeconds(120)) && second.WaitForExit(TimeSpan.FromSeconds(120)), Is.True, "both builds finish");
            Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), $"{outputs[0]}\n{outputs[1]}");
        }

        string[] files = [.. Directory.EnumerateFiles(shared, "*", SearchOption.AllDirectories)];
        string[] entries = [.. files.Where(path => path.StartsWith(Path.Combine(shared, "ac"), StringComparison.Ordinal))];
        Assert.Multiple(() =>
        {
            Assert.That(entries, Has.Length.EqualTo(3), "one entry per tensor");
            Assert.That(files.Where(path => AtomicFile.IsTemporaryName(Path.GetFileName(path))), Is.Empty);
            foreach (string path in files.Except(entries))
            {
                Assert.That(ContentHash.OfFile(path), Is.EqualTo(Path.GetFileName(path)), "a blob is named by its content");
            }

            foreach (CachedOutput output in entries.SelectMany(path => CacheEntryOf(path).Outputs))
            {
                Assert.That(new FileInfo(Path.Combine([shared, .. ItemCache.BlobKey(output.Sha256).Split('/')])).Length, Is.EqualTo(output.Size));
            }
        });
    }

    private static CacheEntry CacheEntryOf(string path) => CacheEntry.Parse(File.ReadAllBytes(path));
}
