using System.Collections.Concurrent;
using CellPainting.Engine.Execution;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>Remembers everything a run tells its observer.</summary>
public sealed class RecordingObserver : IBuildObserver
{
    private readonly ConcurrentQueue<string> listed = new();
    private readonly ConcurrentQueue<ItemOutcome> finishedItems = new();
    private readonly ConcurrentQueue<StageReport> finishedStages = new();

    public IReadOnlyList<string> Listed => listed.ToArray();

    public IReadOnlyList<ItemOutcome> FinishedItems => finishedItems.ToArray();

    public IReadOnlyList<StageReport> FinishedStages => finishedStages.ToArray();

    public void ItemsListed(string stage, int itemCount) => listed.Enqueue($"{stage}:{itemCount}");

    public void ItemFinished(string stage, ItemOutcome outcome) => finishedItems.Enqueue(outcome);

    public void StageFinished(StageReport report) => finishedStages.Enqueue(report);
}
