using System.Text;
using CellPainting.Engine.Caching;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Execution;

/// <summary>
/// Machine A builds from local inputs and fills a folder cache; machine B has none of the input files, only where to
/// fetch them (a pretend bucket serving A's bytes), with or without their recorded digests ("build without the bytes").
/// </summary>
public sealed class RemoteInputTests
{
    private TempDirectory temp = null!;
    private CopyProject machineA = null!;
    private CopyProject machineB = null!;
    private Dictionary<(string Id, string Name), FakeRemoteInput> bucket = null!;

    private string CacheRoot => temp.PathOf("cache");

    [SetUp]
    public void BuildOnAAndGiveBOnlyTheBucket()
    {
        temp = new TempDirectory();
        Directory.CreateDirectory(CacheRoot);
        machineA = new CopyProject(temp.PathOf("a"), itemCount: 4);
        using (var cache = new ItemCache(new FolderCacheStore(CacheRoot), CacheMode.ReadWrite))
        {
            machineA.Run(cache: cache);
        }

        machineB = new CopyProject(temp.PathOf("b"), itemCount: 4);
        Directory.Delete(Path.Combine(machineB.Root, "in"), recursive: true);
        GiveBTheBucket(recorded: true);
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private int Fetches => bucket.Values.Sum(source => source.Fetches);

    private static IEnumerable<string> IdsWith(StageReport report, OutcomeKind kind) =>
        report.Outcomes.Where(outcome => outcome.Kind == kind).Select(outcome => outcome.ItemId);

    [Test]
    public void With_every_digest_recorded_and_the_cache_warm_b_fetches_every_output_and_no_input()
    {
        using var cache = new ItemCache(new FolderCacheStore(CacheRoot), CacheMode.Read);

        StageReport onB = machineB.Run(cache: cache);

        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(onB, OutcomeKind.Fetched), Is.EqualTo(machineB.ItemIds));
            Assert.That(Fetches, Is.Zero);
            Assert.That(machineB.ItemIds.Select(machineB.ReadOutput), Is.EqualTo(machineA.ItemIds.Select(machineA.ReadOutput)));
            Assert.That(machineB.Run().Count(OutcomeKind.UpToDate), Is.EqualTo(4), "recorded digests keep the fetched items up to date");
            Assert.That(Fetches, Is.Zero);
        });
    }

    [Test]
    public void Without_a_cache_b_fetches_the_inputs_of_each_item_it_builds_once()
    {
        StageReport onB = machineB.Run();

        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(onB, OutcomeKind.Built), Is.EqualTo(machineB.ItemIds));
            Assert.That(bucket.Values.Select(source => source.Fetches), Is.All.EqualTo(1));
            Assert.That(machineB.ItemIds.Select(machineB.ReadOutput), Is.EqualTo(machineA.ItemIds.Select(machineA.ReadOutput)));
        });
    }

    [Test]
    public void Items_built_from_inputs_in_memory_keep_their_outputs_hashes_in_the_stat_cache_for_the_next_run()
    {
        machineB.Run();

        // No stamp vouches for an input that is not a file here, so the record has none and the stat cache answers for the outputs.
        StatCache statCache = StatCache.Load(machineB.StatCacheFolder);
        Assert.Multiple(() =>
        {
            foreach (string id in machineB.ItemIds)
            {
                string output = machineB.OutputPath(id);
                Assert.That(statCache.TryGetHash(output, FileStatReader.TryRead(output)!.Value, out string hash), Is.True, id);
                Assert.That(hash, Is.EqualTo(ContentHash.OfFile(output)), id);
            }
        });
    }

    [Test]
    public void Explain_tells_items_in_the_cache_from_items_to_build_and_fetches_nothing()
    {
        bucket[("site-03", "left")].Sha256 = null;
        using var cache = new ItemCache(new FolderCacheStore(CacheRoot), CacheMode.Read);

        StageReport explained = machineB.Run(dryRun: true, cache: cache);

        ItemOutcome unknown = explained.Outcomes.Single(outcome => outcome.ItemId == "site-03");
        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(explained, OutcomeKind.WouldFetch), Is.EqualTo(new[] { "site-01", "site-02", "site-04" }));
            Assert.That(unknown.Kind, Is.EqualTo(OutcomeKind.WouldBuild));
            Assert.That(unknown.Staleness.ToString(), Is.EqualTo("new"));
            Assert.That(Fetches, Is.Zero);
        });
    }

    [Test]
    public void An_input_known_only_once_fetched_is_fetched_first_then_the_cache_serves_its_item()
    {
        GiveBTheBucket(recorded: false);
        using var cache = new ItemCache(new FolderCacheStore(CacheRoot), CacheMode.Read);

        StageReport onB = machineB.Run(cache: cache);

        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(onB, OutcomeKind.Fetched), Is.EqualTo(machineB.ItemIds));
            Assert.That(bucket.Values.Select(source => source.Fetches), Is.All.EqualTo(1), "each input fetched once, to learn its digest");
            Assert.That(machineB.Stage.BuildCalls, Is.Zero);
        });
    }

    [Test]
    public void After_a_build_an_unknown_input_is_named_as_the_reason_for_rebuilding()
    {
        machineB.Run();
        bucket[("site-02", "right")].Sha256 = null;

        StageReport explained = machineB.Run(dryRun: true);

        ItemOutcome outcome = explained.Outcomes.Single(candidate => candidate.ItemId == "site-02");
        Assert.Multiple(() =>
        {
            Assert.That(explained.Count(OutcomeKind.UpToDate), Is.EqualTo(3));
            Assert.That(outcome.Staleness.Reason, Is.EqualTo(StaleReason.InputChanged));
            Assert.That(outcome.Staleness.Detail, Is.EqualTo("right known only once fetched from bucket/site-02/right"));
        });
    }

    [Test]
    public void A_remote_input_that_fails_its_check_fails_only_its_item()
    {
        bucket[("site-04", "left")].Serves = Encoding.UTF8.GetBytes("site-04 LEFT\n");

        StageReport onB = machineB.Run();

        Assert.Multiple(() =>
        {
            Assert.That(IdsWith(onB, OutcomeKind.Built), Is.EqualTo(new[] { "site-01", "site-02", "site-03" }));
            Assert.That(onB.Outcomes.Single(outcome => outcome.ItemId == "site-04").Error, Does.StartWith("input left: bucket/site-04/left has SHA-256 "));
            Assert.That(File.Exists(machineB.OutputPath("site-04")), Is.False);
        });
    }

    /// <summary>B's items keep their ids and paths, but each input is to be fetched from the bucket, which serves A's bytes.</summary>
    private void GiveBTheBucket(bool recorded)
    {
        bucket = [];
        machineB.Stage.Items = machineB.Stage.Items.Select(item => new WorkItem(
                item.Id,
                item.Group,
                item.Inputs.Select(input =>
                {
                    var source = new FakeRemoteInput($"bucket/{item.Id}/{input.Name}", File.ReadAllBytes(machineA.InputPath(item.Id, input.Name)), recorded);
                    bucket[(item.Id, input.Name)] = source;
                    return input with { Remote = source };
                }).ToArray(),
                item.Outputs))
            .ToArray();
    }
}
