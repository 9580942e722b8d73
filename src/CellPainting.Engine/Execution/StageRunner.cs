using System.Diagnostics;
using CellPainting.Engine.Caching;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;

namespace CellPainting.Engine.Execution;

/// <summary>
/// Runs stages: lists their items, decides per item whether it is stale (in parallel, bounded), hands stale items
/// to the strategy, and never lets one item's failure stop the others.
/// </summary>
public sealed class StageRunner
{
    private readonly Workspace workspace;
    private readonly IBuildObserver observer;
    private readonly ItemCache? cache;

    /// <param name="cache">The shared cache stale items are fetched from, or null to build every stale item here.</param>
    public StageRunner(Workspace workspace, IBuildObserver observer, ItemCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(observer);
        this.workspace = workspace;
        this.observer = observer;
        this.cache = cache;
    }

    public StageReport Run(IStage stage, bool dryRun, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return RunTogether([stage], dryRun, cancellation)[0];
    }

    /// <summary>
    /// Runs several stages in one pass over their items: a worker takes an item id and checks and builds it for each
    /// stage in turn with one <see cref="ItemScratch"/>, so work the stages share (decoding the same inputs) is done
    /// once while memory holds about one item per worker. The stages' parts (<see cref="IStage.DiscoverParts"/>) go
    /// round by round, the i-th of each together, so the stages that list the same parts share their items' work.
    /// Staleness, build logs and reports stay per stage, in order.
    /// </summary>
    public IReadOnlyList<StageReport> RunTogether(IReadOnlyList<IStage> stages, bool dryRun, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0 || stages.Select(stage => stage.Name).Distinct(StringComparer.Ordinal).Count() != stages.Count)
        {
            throw new ArgumentException("Stages run together must be at least one, with distinct names.", nameof(stages));
        }

        var clock = Stopwatch.StartNew();
        var runs = new List<StageRun>(stages.Count);
        // Listing the items and replaying the logs are independent and each takes a while for a plate: they overlap.
        using var listing = new PartListing(stages, (stage, part) => observer.ItemsListed(stage.Name, part.Items.Count), cancellation);
        try
        {
            foreach (IStage stage in stages)
            {
                runs.Add(new StageRun(stage, workspace, observer, dryRun, cache));
            }

            try
            {
                BuildItems(runs, listing, cancellation);
            }
            finally
            {
                // Every worker has returned; a batch stage's consumer may still be building. Drain every stage's
                // batches before anything is persisted or disposed, even when the pass failed or was cancelled.
                foreach (StageRun run in runs)
                {
                    run.CompleteDeferred();
                }
            }

            foreach (StageRun run in runs)
            {
                run.CompactLog();
            }

            // The run's uploads finish before it reports: the next reader of the cache (or this run's notes) sees them.
            cache?.Flush();

            // The one save, after every producer and consumer of every stage has stopped: nothing records into the
            // stat cache while it is written. Entries the records now vouch for by stamp are dropped, unless a log of
            // format 2 (a stage not run since that upgrade) may still need their hashes.
            workspace.StatCache.Save(dropReleased: workspace.StatCache.HasReleased && !BuildLog.AnyOfFormat2(workspace.LogsFolder));
            TimeSpan elapsed = clock.Elapsed; // the whole task, deferred batches and state included: what a user waits for
            return runs.Select(run => run.Report(elapsed)).ToArray();
        }
        finally
        {
            foreach (StageRun run in runs)
            {
                run.Dispose();
            }
        }
    }

    /// <summary>Round by round, the parts of every stage checked and built together; a round's items are let go before the next.</summary>
    private void BuildItems(List<StageRun> runs, PartListing listing, CancellationToken cancellation)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = workspace.Parallelism, CancellationToken = cancellation };
        foreach (StageItems?[] round in listing.Rounds())
        {
            for (int index = 0; index < runs.Count; index++)
            {
                runs[index].Begin(round[index]);
            }

            // Stages listing the same items in the same order (one stage; the site stages of a plate) take them by
            // position: grouping a no-op's 176k items by id would cost more than checking them.
            List<List<(StageRun Run, int Index)>>? passes = Aligned(runs) ? null : ItemPasses(runs);
            Parallel.For(0, passes?.Count ?? runs[0].Items.Count, options, pass =>
            {
                var scratch = new ItemScratch();
                try
                {
                    if (passes is null)
                    {
                        foreach (StageRun run in runs)
                        {
                            run.RunItem(pass, scratch);
                        }

                        return;
                    }

                    foreach ((StageRun run, int index) in passes[pass])
                    {
                        run.RunItem(index, scratch);
                    }
                }
                finally
                {
                    scratch.Close();
                }
            });

            foreach (StageRun run in runs)
            {
                run.End();
            }

            if (runs.Any(run => run.FoundStale))
            {
                listing.ListAll();
            }
        }
    }

    /// <summary>True when every stage's part lists the same item ids in the same order: the i-th items are one pass.</summary>
    private static bool Aligned(List<StageRun> runs)
    {
        IReadOnlyList<WorkItem> first = runs[0].Items;
        foreach (StageRun run in runs.Skip(1))
        {
            if (run.Items.Count != first.Count)
            {
                return false;
            }

            for (int index = 0; index < first.Count; index++)
            {
                if (!string.Equals(run.Items[index].Id, first[index].Id, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Each item id of the parts being checked once, in first-listed order, with its position in every stage's part that lists it.</summary>
    private static List<List<(StageRun Run, int Index)>> ItemPasses(List<StageRun> runs)
    {
        var passes = new List<List<(StageRun, int)>>();
        var byId = new Dictionary<string, List<(StageRun, int)>>(StringComparer.Ordinal);
        foreach (StageRun run in runs)
        {
            for (int index = 0; index < run.Items.Count; index++)
            {
                if (!byId.TryGetValue(run.Items[index].Id, out List<(StageRun, int)>? pass))
                {
                    pass = [];
                    byId.Add(run.Items[index].Id, pass);
                    passes.Add(pass);
                }

                pass.Add((run, index));
            }
        }

        return passes;
    }
}
