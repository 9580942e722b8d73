using CellPainting.Engine.Caching;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Execution;

/// <summary>
/// One stage's part of a run: its build log, dirty check and strategy, the part of its items being checked, and each
/// item's outcome so far. Item by item it decides staleness and hands stale items to the strategy, never letting one
/// item's failure stop the others. Of a part checked it keeps the outcomes alone.
/// </summary>
internal sealed class StageRun : IDisposable
{
    private readonly IStage stage;
    private readonly IBuildObserver observer;
    private readonly BuildLog log;
    private readonly IExecutionStrategy strategy;
    private readonly InputResolver resolver;
    private readonly DirtyCheck dirtyCheck;
    private readonly StatCache statCache;

    /// <summary>The folders of the part being checked, held open while it is (see <see cref="FolderHandles"/>).</summary>
    private FolderHandles folders = new();
    private readonly List<ItemOutcome?[]> outcomes = [];
    private readonly List<ItemOutcome> deferred = [];
    private readonly List<ItemProblem> problems = [];
    private readonly List<ItemProblem> skipped = [];
    private StageItems? part;
    private volatile bool foundStale;

    public StageRun(IStage stage, Workspace workspace, IBuildObserver observer, bool dryRun, ItemCache? cache)
    {
        this.stage = stage;
        this.observer = observer;
        log = BuildLog.Open(workspace.LogFolderFor(stage.Name));
        strategy = dryRun ? new ExplainStrategy(cache) : new BuildStrategy(log, workspace.StatCache, outcome => observer.ItemFinished(stage.Name, outcome), cache);
        resolver = new InputResolver(workspace.StatCache);
        dirtyCheck = new DirtyCheck(stage, workspace.StatCache, log.ParametersOf);
        statCache = workspace.StatCache;
    }

    /// <summary>True once an item was found stale: the run builds (or explains) rather than only checks.</summary>
    public bool FoundStale => foundStale;

    /// <summary>The items of the part being checked; none between parts.</summary>
    public IReadOnlyList<WorkItem> Items => part?.Items ?? [];

    /// <summary>Takes the next part of the stage's items (or none, when the stage has no part in this round) to check.</summary>
    public void Begin(StageItems? next)
    {
        part = next;
        if (next is not null)
        {
            problems.AddRange(next.Problems);
            skipped.AddRange(next.Skipped);
            outcomes.Add(new ItemOutcome?[next.Items.Count]);
            strategy.Begin(next.Items);
        }
    }

    /// <summary>Lets the part's items and folders go, keeping their outcomes.</summary>
    public void End()
    {
        part = null;
        folders.Dispose();
        folders = new FolderHandles();
    }

    /// <summary>Checks item <paramref name="index"/> of the part and builds it when stale, with <paramref name="scratch"/> shared with the other stages building it.</summary>
    public void RunItem(int index, ItemScratch scratch)
    {
        ItemOutcome? outcome = Execute(part!.Items[index], scratch);
        if (outcome is not null)
        {
            outcomes[^1][index] = outcome;
            observer.ItemFinished(stage.Name, outcome);
        }
    }

    /// <summary>Waits for the strategy's deferred work (batches still queued) and collects those outcomes.</summary>
    public void CompleteDeferred() => deferred.AddRange(strategy.Complete());

    /// <summary>Rewrites the build log as one record per item; a dry run leaves it as it was.</summary>
    public void CompactLog()
    {
        if (!strategy.IsDryRun)
        {
            log.Compact();
        }
    }

    /// <summary>The stage's report, once its items are all done and its state saved; <paramref name="elapsed"/> is the run's wall time.</summary>
    public StageReport Report(TimeSpan elapsed)
    {
        ItemOutcome[] all = ById(outcomes.SelectMany(checkedPart => checkedPart).OfType<ItemOutcome>()
            .Concat(deferred)
            .Concat(problems.Select(problem => ItemOutcome.Failure(problem.ItemId, problem.Group, problem.Message)))
            .Concat(skipped.Select(problem => ItemOutcome.Skip(problem.ItemId, problem.Group, problem.Message)))
            .ToArray());
        var report = new StageReport(
            stage.Name,
            strategy.IsDryRun,
            all,
            all.Where(outcome => outcome.Kind is OutcomeKind.UpToDate or OutcomeKind.Built or OutcomeKind.Fetched).Select(outcome => log.Find(outcome.ItemId)!).ToArray(),
            elapsed,
            problems.Where(problem => problem.WholeGroup).Select(problem => problem.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        observer.StageFinished(report);
        return report;
    }

    public void Dispose()
    {
        folders.Dispose();
        log.Dispose();
    }

    /// <summary>
    /// Outcomes sorted by item id, which also sorts the records taken from them: parts listed in id order (the sites
    /// of plates listed by barcode) are so already, and are only checked, not sorted again.
    /// </summary>
    private static ItemOutcome[] ById(ItemOutcome[] outcomes)
    {
        for (int index = 1; index < outcomes.Length; index++)
        {
            if (string.CompareOrdinal(outcomes[index - 1].ItemId, outcomes[index].ItemId) > 0)
            {
                return outcomes.OrderBy(outcome => outcome.ItemId, StringComparer.Ordinal).ToArray();
            }
        }

        return outcomes;
    }

    private ItemOutcome? Execute(WorkItem item, ItemScratch scratch)
    {
        try
        {
            BuildRecord? previous = log.Find(item.Id);
            bool interrupted = log.WasInterrupted(item.Id);
            if (StampsHold(item, previous, interrupted))
            {
                // The record's id, not the item's: the outcome outlives the item, whose strings then go with it.
                return new ItemOutcome(previous!.ItemId, item.Group, OutcomeKind.UpToDate, Staleness.UpToDate, string.Empty);
            }

            ResolvedInputs inputs = resolver.Resolve(item);
            try
            {
                string? fingerprint = inputs.IsComplete ? Fingerprint.Of(stage, inputs.Hashes) : null;
                Staleness staleness = dirtyCheck.Decide(item, previous, interrupted, fingerprint, inputs.Hashes);
                if (staleness.IsStale)
                {
                    foundStale = true;
                    return strategy.Execute(new StaleItem(stage, item, inputs, fingerprint, staleness), scratch);
                }

                strategy.Confirm(item, inputs, previous!);
                return new ItemOutcome(item.Id, item.Group, OutcomeKind.UpToDate, staleness, string.Empty);
            }
            finally
            {
                inputs.Release();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return ItemOutcome.Failure(item.Id, item.Group, Describe(exception));
        }
    }

    /// <summary>
    /// The shortcut of a no-op run: the record was made at the stamps every file of the item has now, under this
    /// recipe and these parameters, and was not left half done, so the dirty check could only find it up to date; no
    /// hash is looked up. An output with an entry in the stat cache (Verify leaves the true hash of one that rotted
    /// under its stamp) takes the full check.
    /// </summary>
    private bool StampsHold(WorkItem item, BuildRecord? previous, bool interrupted)
    {
        if (previous?.Stamps is not { } recorded || interrupted || previous.RecipeVersion != stage.RecipeVersion || !previous.HasParameters(stage.Parameters.Digest))
        {
            return false;
        }

        // Indexed, not foreach: an enumerator of the interface is an allocation an item, and a no-op checks 176k.
        for (int index = 0; index < item.Outputs.Count; index++)
        {
            if (statCache.Holds(item.Outputs[index].Path))
            {
                return false;
            }
        }

        return ItemStamps.Read(item, folders) == recorded;
    }

    /// <summary>An item's failure as its outcome says it, on the item path and the batch path alike.</summary>
    internal static string Describe(Exception exception) =>
        exception is ItemFailedException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
}
