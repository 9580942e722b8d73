using CellPainting.Engine.Items;

namespace CellPainting.Engine.Execution;

/// <summary>What to do with a stale item: build it, or only say that it would be built (a dry run is a strategy).</summary>
public interface IExecutionStrategy
{
    /// <summary>True when the strategy changes nothing on disk, so the run must not touch the lock either.</summary>
    bool IsDryRun { get; }

    /// <summary>Called once before any item is handled, with every item of the stage.</summary>
    void Begin(IReadOnlyList<WorkItem> items);

    /// <summary>
    /// Handles a stale item; null when its outcome comes later, from <see cref="Complete"/> (batched stages).
    /// <paramref name="scratch"/> holds what the stages building this item share.
    /// </summary>
    ItemOutcome? Execute(StaleItem stale, ItemScratch scratch);

    /// <summary>Finishes deferred work (the last, partial batch) and returns the deferred outcomes.</summary>
    IReadOnlyList<ItemOutcome> Complete();
}
