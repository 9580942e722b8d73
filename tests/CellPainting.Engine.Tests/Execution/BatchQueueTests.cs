using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Execution;

/// <summary>BatchQueue, through StageRunner: a batch stage of three items a batch, whose queue holds two batches.</summary>
public sealed class BatchQueueTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void A_consumer_that_fails_releases_the_workers_waiting_for_room_and_the_run_fails_with_its_error()
    {
        // Twenty items are more than the queue's six places: before the fix the workers waited for room forever.
        var stage = new SharingBatchStage("batched", Items(20), new SharedInputs());
        var runner = new StageRunner(new Workspace(temp.PathOf("state"), 2), new FailingObserver());

        Task<StageReport> run = Task.Run(() => runner.Run(stage, dryRun: false));

        Assert.That(Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))).GetAwaiter().GetResult(), Is.SameAs(run), "the run still waits");
        Assert.That(run.Exception?.GetBaseException().Message, Is.EqualTo(FailingObserver.Reason));
    }

    private WorkItem[] Items(int count) =>
        Enumerable.Range(1, count).Select(number =>
        {
            string id = $"site-{number:00}";
            return new WorkItem(
                id,
                "plate-A",
                [new ItemInput("left", temp.Write($"in/{id}.left.txt", "L")), new ItemInput("right", temp.Write($"in/{id}.right.txt", "R"))],
                [new ItemOutput("out", temp.PathOf("out", $"{id}.txt"))]);
        }).ToArray();

    /// <summary>An observer that throws on the first finished item: a bug on the consumer's thread, not an item's failure.</summary>
    private sealed class FailingObserver : IBuildObserver
    {
        public const string Reason = "observer broke";

        public void ItemsListed(string stage, int itemCount)
        {
        }

        public void ItemFinished(string stage, ItemOutcome outcome) => throw new InvalidOperationException(Reason);

        public void StageFinished(StageReport report)
        {
        }
    }
}
