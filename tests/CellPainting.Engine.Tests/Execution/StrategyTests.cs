using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Execution;

public sealed class StrategyTests
{
    private TempDirectory temp = null!;
    private CopyStage stage = null!;
    private StaleItem stale = null!;
    private StatCache cache = null!;

    [SetUp]
    public void CreateStaleItem()
    {
        temp = new TempDirectory();
        var item = new WorkItem(
            "site-01",
            "plate-A",
            [new ItemInput("left", temp.Write("left.txt", "L")), new ItemInput("right", temp.Write("right.txt", "R"))],
            [new ItemOutput("out", temp.PathOf("out.txt"))]);
        stage = new CopyStage([item]) { RecipeVersion = 5 };
        cache = StatCache.InMemory();
        ResolvedInputs inputs = new InputResolver(cache).Resolve(item);
        stale = new StaleItem(stage, item, inputs, Fingerprint.Of(stage, inputs.Hashes), new Staleness(StaleReason.New, string.Empty));
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void Explain_reports_would_build_with_the_reason_and_builds_nothing()
    {
        var strategy = new ExplainStrategy();

        ItemOutcome? outcome = strategy.Execute(stale, new ItemScratch());

        Assert.That(strategy.IsDryRun, Is.True);
        Assert.That(outcome, Is.EqualTo(new ItemOutcome("site-01", "plate-A", OutcomeKind.WouldBuild, stale.Staleness, string.Empty)));
        Assert.That(stage.BuildCalls, Is.Zero);
        Assert.That(File.Exists(temp.PathOf("out.txt")), Is.False);
    }

    [Test]
    public void Build_builds_the_item_and_journals_its_record()
    {
        string logFolder = temp.PathOf("logs", "copy");
        using (BuildLog log = BuildLog.Open(logFolder))
        {
            var strategy = new BuildStrategy(log, cache);

            ItemOutcome? outcome = strategy.Execute(stale, new ItemScratch());

            Assert.That(strategy.IsDryRun, Is.False);
            Assert.That(outcome, Is.EqualTo(new ItemOutcome("site-01", "plate-A", OutcomeKind.Built, stale.Staleness, string.Empty)));
        }

        Assert.That(File.ReadAllText(temp.PathOf("out.txt")), Is.EqualTo("LR"));
        using BuildLog reopened = BuildLog.Open(logFolder);
        BuildRecord record = reopened.Find("site-01")!;
        Assert.That(record.Fingerprint, Is.EqualTo(stale.Fingerprint));
        Assert.That(record.RecipeVersion, Is.EqualTo(5));
        Assert.That(record.ParametersDigest, Is.EqualTo(stage.Parameters.Digest));
        Assert.That(record.Inputs, Is.EqualTo(stale.Inputs.Hashes.Select(input => input with { Hash = input.Hash[..8] })), "the log keeps a prefix of each input's hash");
        Assert.That(record.Outputs, Is.EqualTo(new[] { new HashedName("out", ContentHash.OfText("LR")) }));
        Assert.That(reopened.WasInterrupted("site-01"), Is.False);
    }

    [Test]
    public void A_build_that_throws_leaves_the_item_begun_but_not_completed_in_the_journal()
    {
        stage.FailFor = "site-01";
        string logFolder = temp.PathOf("logs", "copy");
        using (BuildLog log = BuildLog.Open(logFolder))
        {
            Assert.Throws<InvalidOperationException>(() => new BuildStrategy(log, cache).Execute(stale, new ItemScratch()));
        }

        using BuildLog reopened = BuildLog.Open(logFolder);
        Assert.That(reopened.WasInterrupted("site-01"), Is.True);
        Assert.That(reopened.Find("site-01"), Is.Null);
    }
}
