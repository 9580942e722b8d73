using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.Sharding;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Sharding;

public sealed class ShardedStageTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private static WorkItem Item(string group, string id) => new($"{group}/{id}", group, [], [new ItemOutput("out", $"/nowhere/{group}/{id}")]);

    /// <summary>
    /// Plates p1..p4 of 3, 2, 2, 1 sites, listed out of order; p5 cannot be scanned; p2 has a skipped site. Over 3 shards:
    /// p1 → 1, p2 → 2, p3 → 3, p4 → 2 (loads 3, 2, 2), p5 → 3 (loads 3, 3, 2).
    /// </summary>
    private static CopyStage Plates() => new([
        Item("p2", "s2"), Item("p1", "s1"), Item("p4", "s1"), Item("p1", "s3"), Item("p2", "s1"), Item("p3", "s1"), Item("p1", "s2"), Item("p3", "s2")])
    {
        Problems = [new ItemProblem("p5", "p5", "cannot scan")],
        Skipped = [new ItemProblem("p2/s3", "p2", "incomplete")],
    };

    private static StageItems Discover(IStage stage, string shard, ShardPartition? pinned = null) => ShardedStage.Of(stage, Shard.Parse(shard), pinned).Discover();

    [Test]
    public void The_shards_of_a_plan_hold_every_item_and_problem_once_and_the_same_name_and_parameters()
    {
        CopyStage stage = Plates();
        StageItems[] shards = Enumerable.Range(1, 3).Select(index => Discover(stage, $"{index}/3")).ToArray();

        Assert.That(shards.SelectMany(plan => plan.Items).Select(item => item.Id).Order(), Is.EqualTo(stage.Items.Select(item => item.Id).Order()));
        Assert.That(shards.Select(plan => plan.Items.Select(item => item.Group).Distinct().Order().ToArray()), Is.EqualTo(new[] { new[] { "p1" }, new[] { "p2", "p4" }, new[] { "p3" } }));
        Assert.That(shards.Select(plan => plan.Problems.Count), Is.EqualTo(new[] { 0, 0, 1 }));
        Assert.That(shards.Select(plan => plan.Skipped.Count), Is.EqualTo(new[] { 0, 1, 0 }));
        IStage sharded = ShardedStage.Of(stage, Shard.Parse("1/3"));
        Assert.That((sharded.Name, sharded.RecipeVersion, sharded.Parameters), Is.EqualTo((stage.Name, stage.RecipeVersion, stage.Parameters)));
    }

    [Test]
    public void With_fewer_groups_than_shards_a_group_is_split_by_item_id_order()
    {
        var stage = new CopyStage([Item("p1", "s3"), Item("p1", "s1"), Item("p1", "s4"), Item("p1", "s2")]);

        Assert.That(Discover(stage, "1/2").Items.Select(item => item.Id), Is.EqualTo(new[] { "p1/s1", "p1/s2" }));
        Assert.That(Discover(stage, "2/2").Items.Select(item => item.Id), Is.EqualTo(new[] { "p1/s3", "p1/s4" }));
    }

    [Test]
    public void A_pinned_plan_gives_whole_groups_by_name_whatever_their_current_size()
    {
        var pinned = new ShardPartition([[new ShardSlice("p1", 0, 9, 9), new ShardSlice("p5", 0, 0, 0)], [new ShardSlice("p2", 0, 1, 1), new ShardSlice("p3", 0, 5, 5), new ShardSlice("p4", 0, 5, 5)]]);

        StageItems first = Discover(Plates(), "1/2", pinned);

        Assert.That(first.Items.Select(item => item.Id), Is.EqualTo(new[] { "p1/s1", "p1/s2", "p1/s3" }));
        Assert.That(first.Problems.Select(problem => problem.ItemId), Is.EqualTo(new[] { "p5" }));
    }

    [Test]
    public void A_pinned_plan_that_no_longer_fits_the_plan_is_an_error_naming_the_group()
    {
        var missing = new ShardPartition([[new ShardSlice("p1", 0, 3, 3)], [new ShardSlice("p2", 0, 2, 2)]]);
        var resized = new ShardPartition([[new ShardSlice("p1", 0, 2, 4)], [new ShardSlice("p1", 2, 4, 4)]]);
        var stage = new CopyStage([Item("p1", "s1"), Item("p1", "s2"), Item("p1", "s3")]);

        Assert.That(Assert.Throws<ShardSpecException>(() => Discover(Plates(), "1/2", missing))!.Message, Does.Contain("lists group p3, which the shard plan does not"));
        Assert.That(Assert.Throws<ShardSpecException>(() => Discover(stage, "1/2", resized))!.Message, Does.Contain("group p1 has 3 items but the shard plan split it as 4"));
        Assert.That(Assert.Throws<ShardSpecException>(() => Discover(stage, "1/3", missing))!.Message, Does.Contain("the shard plan has 2 shards, not 3"));
    }

    [Test]
    public void A_sharded_batch_stage_is_still_built_in_batches_and_builds_only_its_items()
    {
        WorkItem[] items = Enumerable.Range(1, 6).Select(index =>
        {
            string id = $"site-{index}";
            temp.Write($"in/{id}.txt", id);
            return new WorkItem(id, index % 2 == 0 ? "plate-B" : "plate-A", [new ItemInput("in", temp.PathOf("in", $"{id}.txt"))], [new ItemOutput("out", temp.PathOf("out", $"{id}.txt"))]);
        }).ToArray();
        var stage = new SharingBatchStage("batch", items, new SharedInputs());
        IStage sharded = ShardedStage.Of(stage, Shard.Parse("2/2"));

        StageReport report = new StageRunner(new Workspace(temp.PathOf("state"), 2), new RecordingObserver()).Run(sharded, dryRun: false);

        Assert.That(sharded, Is.InstanceOf<IBatchStage>());
        Assert.That(report.Outcomes.Select(outcome => (outcome.ItemId, outcome.Kind)), Is.EqualTo(new[] { ("site-2", OutcomeKind.Built), ("site-4", OutcomeKind.Built), ("site-6", OutcomeKind.Built) }));
        Assert.That(report.CurrentRecords.Select(record => record.Group).Distinct(), Is.EqualTo(new[] { "plate-B" }));
    }
}
