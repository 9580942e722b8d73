using CellPainting.Engine.Caching;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Execution;

/// <summary>
/// One stage's part of a run: its items, build log, dirty check and strategy, and each item's outcome so far. Item
/// by item it decides staleness and hands stale items to the strategy, never letting one item's failure stop the others.
/// </summary>
internal sealed class StageRun : IDisposable
{
    private readonly IStage stage;
    private readonly IBuildObserver observer;
    private readonly StageItems discovered;
    private readonly BuildLog log;
    private readonly IExecutionStrategy strategy;
    private readonly InputResolver resolver;
    private readonly DirtyCheck dirtyCheck;
    private readonly StatCache statCache;
    private readonly ItemOutcome[] outcomes;

    public StageRun(IStage stage, Workspace workspace, IBuildObserver observer, bool dryRun, ItemCache? cache)
    {
        this.stage = stage;
        this.observer = observer;
        // Replaying the log and listing the items are independent and each takes a while for a plate: overlap them.
        Task<BuildLog> opening = Task.Run(() => BuildLog.Open(workspace.LogFolderFor(stage.Name)));
        discovered = stage.Discover();
        observer.StageStarted(stage.Name, discovered.Items.Count);
        log = opening.GetAwaiter().GetResult();
        strategy = dryRun ? new ExplainStrategy(cache) : new BuildStrategy(log, workspace.StatCache, outcome => observer.ItemFinished(stage.Name, outcome), cache);
        resolver = new InputResolver(workspace.StatCache);
        dirtyCheck = new DirtyCheck(stage, workspace.StatCache, log.ParametersOf);
        statCache = workspace.StatCache;
        outcomes = new ItemOutcome[discovered.Items.Count];
        strategy.Begin(discovered.Items);
    }

    public IReadOnlyList<WorkItem> Items => discovered.Items;

    /// <summary>Checks item <paramref name="index"/> and builds it when stale, with <paramref name="scratch"/> shared with the other stages building it.</summary>
    public void RunItem(int index, ItemScratch scratch)
    {
        ItemOutcome? outcome = Execute(discovered.Items[index], scratch);
        if (outcome is not null)
        {
            outcomes[index] = outcome;
            observer.ItemFinished(stage.Name, outcome);
        }
    }

    /// <summary>Waits for the strategy's deferred work (batches still queued) and collects those outcomes.</summary>
    public void CompleteDeferred()
    {
        IReadOnlyList<ItemOutcome> deferred = strategy.Complete();
        if (deferred.Count > 0)
        {
            var positions = discovered.Items.Select((item, index) => (item.Id, index)).ToDictionary(pair => pair.Id, pair => pair.index, StringComparer.Ordinal);
            foreach (ItemOutcome outcome in deferred)
            {
                outcomes[positions[outcome.ItemId]] = outcome;
            }
        }
    }

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
        ItemOutcome[] reported = discovered.Problems.Select(problem => ItemOutcome.Failure(problem.ItemId, problem.Group, problem.Message))
            .Concat(discovered.Skipped.Select(skipped => ItemOutcome.Skip(skipped.ItemId, skipped.Group, skipped.Message)))
            .ToArray();
        var report = new StageReport(
            stage.Name,
            strategy.IsDryRun,
            outcomes.Concat(reported)
                .OrderBy(outcome => outcome.ItemId, StringComparer.Ordinal)
                .ToArray(),
            CurrentRecords(),
            elapsed,
            discovered.Problems.Where(problem => problem.WholeGroup).Select(problem => problem.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        observer.StageFinished(report);
        return report;
    }

    public void Dispose() => log.Dispose();

    private ItemOutcome? Execute(WorkItem item, ItemScratch scratch)
    {
        try
        {
            BuildRecord? previous = log.Find(item.Id);
            bool interrupted = log.WasInterrupted(item.Id);
            if (StampsHold(item, previous, interrupted))
            {
                return new ItemOutcome(item.Id, item.Group, OutcomeKind.UpToDate, Staleness.UpToDate, string.Empty);
            }

            ResolvedInputs inputs = resolver.Resolve(item);
            try
            {
                string? fingerprint = inputs.IsComplete ? Fingerprint.Of(stage, inputs.Hashes) : null;
                Staleness staleness = dirtyCheck.Decide(item, previous, interrupted, fingerprint, inputs.Hashes);
                if (staleness.IsStale)
                {
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

        foreach (ItemOutput output in item.Outputs)
        {
            if (statCache.Holds(output.Path))
            {
                return false;
            }
        }

        return ItemStamps.Read(item) == recorded;
    }

    /// <summary>An item's failure as its outcome says it, on the item path and the batch path alike.</summary>
    internal static string Describe(Exception exception) =>
        exception is ItemFailedException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";

    private BuildRecord[] CurrentRecords() =>
        discovered.Items.Zip(outcomes)
            .Where(pair => pair.Second.Kind is OutcomeKind.UpToDate or OutcomeKind.Built or OutcomeKind.Fetched)
            .Select(pair => log.Find(pair.First.Id)!)
            .OrderBy(record => record.ItemId, StringComparer.Ordinal)
            .ToArray();
}
