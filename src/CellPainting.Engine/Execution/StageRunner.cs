using System.Diagnostics;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Execution;

/// <summary>
/// Runs one stage: lists its items, decides per item whether it is stale (in parallel, bounded), hands stale items
/// to the strategy, and never lets one item's failure stop the others.
/// </summary>
public sealed class StageRunner
{
    private readonly Workspace workspace;
    private readonly IBuildObserver observer;

    public StageRunner(Workspace workspace, IBuildObserver observer)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(observer);
        this.workspace = workspace;
        this.observer = observer;
    }

    public StageReport Run(IStage stage, bool dryRun, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var clock = Stopwatch.StartNew();
        // Replaying the log and listing the items are independent and each takes a while for a plate: overlap them.
        Task<BuildLog> opening = Task.Run(() => BuildLog.Open(workspace.LogPathFor(stage.Name)));
        StageItems discovered = stage.Discover();
        observer.StageStarted(stage.Name, discovered.Items.Count);

        using BuildLog log = opening.GetAwaiter().GetResult();
        IExecutionStrategy strategy = dryRun ? new ExplainStrategy() : new BuildStrategy(log, workspace.StatCache, outcome => observer.ItemFinished(stage.Name, outcome));
        var resolver = new InputResolver(workspace.StatCache);
        var dirtyCheck = new DirtyCheck(stage, workspace.StatCache, log.ParametersOf);
        var outcomes = new ItemOutcome[discovered.Items.Count];
        strategy.Begin(discovered.Items);

        var options = new ParallelOptions { MaxDegreeOfParallelism = workspace.Parallelism, CancellationToken = cancellation };
        Parallel.For(0, discovered.Items.Count, options, index =>
        {
            WorkItem item = discovered.Items[index];
            ItemOutcome? outcome = RunItem(stage, item, log, resolver, dirtyCheck, strategy);
            if (outcome is not null)
            {
                outcomes[index] = outcome;
                observer.ItemFinished(stage.Name, outcome);
            }
        });

        IReadOnlyList<ItemOutcome> deferred = strategy.Complete();
        if (deferred.Count > 0)
        {
            var positions = discovered.Items.Select((item, index) => (item.Id, index)).ToDictionary(pair => pair.Id, pair => pair.index, StringComparer.Ordinal);
            foreach (ItemOutcome outcome in deferred)
            {
                outcomes[positions[outcome.ItemId]] = outcome;
            }
        }

        ItemOutcome[] reported = discovered.Problems.Select(problem => ItemOutcome.Failure(problem.ItemId, problem.Group, problem.Message))
            .Concat(discovered.Skipped.Select(skipped => ItemOutcome.Skip(skipped.ItemId, skipped.Group, skipped.Message)))
            .ToArray();

        if (!strategy.IsDryRun)
        {
            log.Compact();
        }

        workspace.StatCache.Save();
        var report = new StageReport(
            stage.Name,
            strategy.IsDryRun,
            outcomes.Concat(reported)
                .OrderBy(outcome => outcome.ItemId, StringComparer.Ordinal)
                .ToArray(),
            CurrentRecords(discovered.Items, outcomes, log),
            clock.Elapsed);
        observer.StageFinished(report);
        return report;
    }

    private static ItemOutcome? RunItem(IStage stage, WorkItem item, BuildLog log, InputResolver resolver, DirtyCheck dirtyCheck, IExecutionStrategy strategy)
    {
        try
        {
            ResolvedInputs inputs = resolver.Resolve(item);
            string fingerprint = Fingerprint.Of(stage, inputs.Hashes);
            Staleness staleness = dirtyCheck.Decide(item, log.Find(item.Id), log.WasInterrupted(item.Id), fingerprint, inputs.Hashes);
            return staleness.IsStale
                ? strategy.Execute(new StaleItem(stage, item, inputs, fingerprint, staleness))
                : new ItemOutcome(item.Id, item.Group, OutcomeKind.UpToDate, staleness, string.Empty);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return ItemOutcome.Failure(item.Id, item.Group, Describe(exception));
        }
    }

    private static string Describe(Exception exception) =>
        exception is ItemFailedException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";

    private static BuildRecord[] CurrentRecords(IReadOnlyList<WorkItem> items, ItemOutcome[] outcomes, BuildLog log) =>
        items.Zip(outcomes)
            .Where(pair => pair.Second.Kind is OutcomeKind.UpToDate or OutcomeKind.Built)
            .Select(pair => log.Find(pair.First.Id)!)
            .OrderBy(record => record.ItemId, StringComparer.Ordinal)
            .ToArray();
}
