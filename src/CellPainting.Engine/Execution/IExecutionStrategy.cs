using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;

namespace CellPainting.Engine.Execution;

/// <summary>What to do with a stale item: build it, or only say that it would be built (a dry run is a strategy).</summary>
public interface IExecutionStrategy
{
    /// <summary>True when the strategy changes nothing on disk, so the run must not touch the lock either.</summary>
    bool IsDryRun { get; }

    /// <summary>Called before a part of the stage's items is handled, with the part's items.</summary>
    void Begin(IReadOnlyList<WorkItem> items);

    /// <summary>
    /// Handles a stale item; null when its outcome comes later, from <see cref="Complete"/> (batched stages).
    /// <paramref name="scratch"/> holds what the stages building this item share.
    /// </summary>
    ItemOutcome? Execute(StaleItem stale, ItemScratch scratch);

    /// <summary>
    /// Called for an item the dirty check found up to date by its hashes although its stamps moved (a touched input,
    /// or a record of an older log): a build gives its record the stamps now, so the next run needs no hash.
    /// </summary>
    void Confirm(WorkItem item, ResolvedInputs inputs, BuildRecord previous);

    /// <summary>Finishes deferred work (the last, partial batch) and returns the deferred outcomes.</summary>
    IReadOnlyList<ItemOutcome> Complete();
}
