using CellPainting.Engine.Caching;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Caching;

/// <summary>
/// Two machines with the same inputs and a folder cache between them: A builds and uploads, B fetches. Each run is a
/// fresh workspace, as a new process would be.
/// </summary>
public sealed class ItemCacheTests
{
    private TempDirectory temp = null!;
    private CopyProject machineA = null!;
    private CopyProject machineB = null!;

    private string CacheRoot => temp.PathOf("cache");

    [SetUp]
    public void CreateTwoMachinesAndACache()
    {
        temp = new TempDirectory();
        Directory.CreateDirectory(CacheRoot);
        machineA = new CopyProject(temp.PathOf("a"), itemCount: 4);
        machineB = new CopyProject(temp.PathOf("b"), itemCount: 4);
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private ItemCache Cache(CacheMode mode, string? root = null) => new(new FolderCacheStore(root ?? CacheRoot), mode);

    private StageReport BuildOnA()
    {
        using ItemCache cache = Cache(CacheMode.ReadWrite);
        return machineA.Run(cache: cache);
    }

    private Dictionary<string, byte[]> CacheFiles() =>
        Directory.EnumerateFiles(CacheRoot, "*", SearchOption.AllDirectories).ToDictionary(path => path, File.ReadAllBytes);

    private static IEnumerable<string> IdsWith(StageReport report, OutcomeKind kind) =>
        report.Outcomes.Where(outcome => outcome.Kind == kind).Select(outcome => outcome.ItemId);

    private string BlobPathOf(string itemId)
    {
        BuildRecord record = BuildOnARecords().Single(candidate => candidate.ItemId == itemId);
        return Path.Combine([CacheRoot, .. ItemCache.BlobKey(record.Outputs[0].Hash).Split('/')]);
    }

    private IReadOnlyCollection<BuildRecord> BuildOnARecords()
    {
        using var log = BuildLog.Open(machineA.LogFolder);
        return log.Records;
    }

    [Test]
    public void A_read_write_build_uploads_every_items_blob_and_entry()
    {
        StageReport report = BuildOnA();

        Assert.That(report.Count(OutcomeKind.Built), Is.EqualTo(4));
        foreach (BuildRecord record in report.CurrentRecords)
        {
            CacheEntry entry = CacheEntry.Parse(File.ReadAllBytes(Path.Combine([CacheRoot, .. ItemCache.EntryKey(record.ItemId, record.Fingerprint).Split('/')])));
            Assert.Multiple(() =>
            {
                Assert.That(entry.ItemId, Is.EqualTo(record.ItemId));
                Assert.That(entry.Fingerprint, Is.EqualTo(record.Fingerprint));
                Assert.That(entry.Stage, Is.EqualTo("copy"));
                Assert.That(entry.RecipeVersion, Is.EqualTo(record.RecipeVersion));
                Assert.That(entry.ParametersDigest, Is.EqualTo(record.ParametersDigest));
                Assert.That(entry.Outputs.Select(output => (output.Name, output.Sha256)), Is.EqualTo(record.Outputs.Select(output => (output.Name, output.Hash))));
                Assert.That(File.ReadAllBytes(Path.Combine([CacheRoot, .. ItemCache.BlobKey(entry.Outputs[0].Sha256).Split('/')])), Is.EqualTo(File.ReadAllBytes(machineA.OutputPath(record.ItemId))));
            });
        }
    }

    [Test]
    public void Uploads_run_beside_the_build_and_the_run_reports_only_once_they_are_done()
    {
        using var gated = new GatedCacheStore(new FolderCacheStore(CacheRoot));
        using var cache = new ItemCache(gated, CacheMode.ReadWrite);

        Task<StageReport> run = Task.Run(() => machineA.Run(cache: cache));
        bool builtBeforeAnyUpload = SpinWait.SpinUntil(() => machineA.Stage.BuildCalls == 4, TimeSpan.FromSeconds(30));
        bool reportedBeforeUploads = run.Wait(TimeSpan.FromMilliseconds(300));
        gated.Open();
        StageReport report = run.Result;

        Assert.Multiple(() =>
        {
            Assert.That(builtBeforeAnyUpload, Is.True, "every item was built while no upload could finish");
            Assert.That(reportedBeforeUploads, Is.False, "the run waits for its uploads before it reports");
            Assert.That(report.CurrentRecords.Select(record => File.Exists(Path.Combine([CacheRoot, .. ItemCache.EntryKey(record.ItemId, record.Fingerprint).Split('/')]))), Is.All.True);
            Assert.That(cache.TakeNotes(), Is.Empty);
        });
    }

    [Test]
    public void Items_whose_inputs_are_the_same_have_entries_of_their_own()
    {
        machineA.WriteInput("site-02", "left", "site-01 left\n");
        machineA.WriteInput("site-02", "right", "site-01 right\n");
        machineB.WriteInput("site-02", "left", "site-01 left\n");
        machineB.WriteInput("site-02", "right", "site-01 right\n");
        StageReport onA = BuildOnA();

        using ItemCache cache = Cache(CacheMode.Read);
        StageReport onB = machineB.Run(cache: cache);

        Assert.Multiple(() =>
        {
            Assert.That(onA.CurrentRecords[0].Fingerprint, Is.EqualTo(onA.CurrentRecords[1].Fingerprint));
            Assert.That(ItemCache.EntryKey("site-01", onA.CurrentRecords[0].Fingerprint), Is.Not.EqualTo(ItemCache.EntryKey("site-02", onA.CurrentRecords[0].Fingerprint)));
            Assert.That(IdsWith(onB, OutcomeKind.Fetched), Is.EqualTo(machineB.ItemIds));
        });
    }

    [Test]
    public void A_fresh_machine_reading_the_cache_fetches_every_item_builds_none_and_records_them_as_if_built()
    {
        StageReport onA = BuildOnA();

        StageReport onB;
        using (ItemCache cache = Cache(CacheMode.Read))
        {
            onB = machineB.Run(cache: cache);
        }

        StageReport again = machineB.Run();
        Assert.Multiple(() =>
        {
            Assert.That(machineB.Stage.BuildCalls, Is.Zero);
            Assert.That(IdsWith(onB, OutcomeKind.Fetched), Is.EqualTo(machineA.ItemIds));
            Assert.That(onB.FetchedBytes, Is.EqualTo(machineA.ItemIds.Sum(id => new FileInfo(machineA.OutputPath(id)).Length)));
            Assert.That(machineB.ItemIds.Select(machineB.ReadOutput), Is.EqualTo(machineA.ItemIds.Select(machineA.ReadOutput)));
            Assert.That(onB.CurrentRecords, Is.EqualTo(onA.CurrentRecords).Using<BuildRecord>(SameRecord));
            Assert.That(again.Count(OutcomeKind.UpToDate), Is.EqualTo(4), "the fetched outputs are in B's build log and stat cache");
        });
    }

    [Test]
    public void With_one_input_changed_that_item_is_built_the_rest_fetched_and_read_mode_writes_nothing()
    {
        BuildOnA();
        Dictionary<string, byte[]> before = CacheFiles();
        machineB.WriteInput("site-02", "left", "changed on B\n");

        StageReport onB;
        using (ItemCache cache = Cache(CacheMode.Read))
        {
            onB = machineB.Run(cache: cache);
        }

        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(onB, OutcomeKind.Built), Is.EqualTo(new[] { "site-02" }));
            Assert.That(IdsWith(onB, OutcomeKind.Fetched), Is.EqualTo(new[] { "site-01", "site-03", "site-04" }));
            Assert.That(CacheFiles(), Is.EquivalentTo(before));
        });
    }

    [TestCase("tampered")]
    [TestCase("truncated")]
    public void A_bad_blob_is_never_placed_the_item_is_built_here_and_the_entry_reported(string damage)
    {
        BuildOnA();
        string blob = BlobPathOf("site-03");
        byte[] good = File.ReadAllBytes(blob);
        byte[] bad = damage == "truncated" ? good[..^3] : [.. good.Select(value => (byte)(value ^ 0x20))];
        File.WriteAllBytes(blob, bad);

        using ItemCache cache = Cache(CacheMode.Read);
        StageReport onB = machineB.Run(cache: cache);

        IReadOnlyList<string> notes = cache.TakeNotes();
        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(onB, OutcomeKind.Built), Is.EqualTo(new[] { "site-03" }));
            Assert.That(machineB.ReadOutput("site-03"), Is.EqualTo(machineA.ReadOutput("site-03")));
            Assert.That(notes, Has.Count.EqualTo(1));
            Assert.That(notes[0], Does.Contain("bad entry").And.Contain("copy site-03").And.Contain(damage == "truncated" ? "bytes where the entry says" : "does not hash"));
            Assert.That(File.ReadAllBytes(blob), Is.EqualTo(bad), "read mode leaves the cache as it found it");
        });
    }

    [Test]
    public void In_read_write_mode_a_bad_blob_is_replaced_once_the_item_is_built()
    {
        BuildOnA();
        string blob = BlobPathOf("site-01");
        byte[] good = File.ReadAllBytes(blob);
        File.WriteAllBytes(blob, good[..^1]);

        using (ItemCache cache = Cache(CacheMode.ReadWrite))
        {
            Assert.That(IdsWith(machineB.Run(cache: cache), OutcomeKind.Built), Is.EqualTo(new[] { "site-01" }));
            Assert.That(cache.TakeNotes().Single(), Does.Contain("replaced once built"));
        }

        Assert.That(File.ReadAllBytes(blob), Is.EqualTo(good));
    }

    [Test]
    public void An_unreadable_entry_is_reported_and_the_item_built()
    {
        StageReport onA = BuildOnA();
        string entry = Path.Combine([CacheRoot, .. ItemCache.EntryKey("site-02", onA.CurrentRecords[1].Fingerprint).Split('/')]);
        File.WriteAllBytes(entry, File.ReadAllBytes(entry)[..^10]);

        using ItemCache cache = Cache(CacheMode.Read);
        StageReport onB = machineB.Run(cache: cache);

        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(onB, OutcomeKind.Built), Is.EqualTo(new[] { "site-02" }));
            Assert.That(cache.TakeNotes().Single(), Does.Contain("unreadable").And.Contain("site-02"));
        });
    }

    [Test]
    public void Explain_tells_items_in_the_cache_from_items_it_would_build_and_writes_nothing()
    {
        BuildOnA();
        Dictionary<string, byte[]> before = CacheFiles();
        machineB.WriteInput("site-04", "right", "changed on B\n");

        StageReport explained;
        using (ItemCache cache = Cache(CacheMode.ReadWrite))
        {
            explained = machineB.Run(dryRun: true, cache: cache);
        }

        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(explained, OutcomeKind.WouldFetch), Is.EqualTo(new[] { "site-01", "site-02", "site-03" }));
            Assert.That(IdsWith(explained, OutcomeKind.WouldBuild), Is.EqualTo(new[] { "site-04" }));
            Assert.That(machineB.Stage.BuildCalls, Is.Zero);
            Assert.That(Directory.Exists(Path.Combine(machineB.Root, "out")), Is.False);
            Assert.That(CacheFiles(), Is.EquivalentTo(before));
        });
    }

    [Test]
    public void An_unreachable_cache_gives_one_warning_and_every_item_is_built_here()
    {
        using ItemCache cache = Cache(CacheMode.ReadWrite, temp.PathOf("not-mounted"));

        StageReport report = machineB.Run(parallelism: 4, cache: cache);

        IReadOnlyList<string> notes = cache.TakeNotes();
        Assert.Multiple(() =>
        {
            Assert.That(report.Count(OutcomeKind.Built), Is.EqualTo(4));
            Assert.That(report.Succeeded, Is.True);
            Assert.That(notes, Has.Count.EqualTo(1));
            Assert.That(notes[0], Does.StartWith("warning: cache ").And.Contain("not-mounted").And.Contain("building locally"));
            Assert.That(cache.IsAvailable, Is.False);
            Assert.That(Directory.Exists(temp.PathOf("not-mounted")), Is.False);
        });
    }

    private static bool SameRecord(BuildRecord left, BuildRecord right) =>
        left.ItemId == right.ItemId && left.Group == right.Group && left.Fingerprint == right.Fingerprint
        && left.RecipeVersion == right.RecipeVersion && left.ParametersDigest == right.ParametersDigest
        && left.Inputs.SequenceEqual(right.Inputs) && left.Outputs.SequenceEqual(right.Outputs);
}
