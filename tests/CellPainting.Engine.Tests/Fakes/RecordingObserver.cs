using System.Collections.Concurrent;
using CellPainting.Engine.Execution;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>Remembers everything a run tells its observer.</summary>
public sealed class RecordingObserver : IBuildObserver
{
    private readonly ConcurrentQueue<string> started = new();
    private readonly ConcurrentQueue<ItemOutcome> finishedItems = new();
    private readonly ConcurrentQueue<StageReport> finishedStages = new();

    public IReadOnlyList<string> Started => started.ToArray();

    public IReadOnlyList<ItemOutcome> FinishedItems => finishedItems.ToArray();

    public IReadOnlyList<StageReport> FinishedStages => finishedStages.ToArray();

    public void ItemsListed(string stage, int itemCount) => started.Enqueue($"{stage}:{itemCount}");

    public void ItemFinished(string stage, ItemOutcome outcome) => finishedItems.Enqueue(outcome);

    public void StageFinished(StageReport report) => finishedStages.Enqueue(report);
}
