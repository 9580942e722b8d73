using CellPainting.Engine.State;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>
/// The Download target: plans a sync of the configured plates and the two metadata prefixes (list, then compare each
/// object's ETag and size with the lock's manifests) and hands the plan to a strategy, which either fetches what it
/// lists and records the result, or only reports it (--explain). The plan is the dataset's: the site stages take their
/// images' objects and recorded digests from it.
/// </summary>
internal sealed class DownloadRunner
{
    private readonly RemoteDataset dataset;
    private readonly DownloadLock downloadLock;
    private readonly StatCache statCache;
    private readonly ITransferDisplay display;
    private readonly TextWriter output;

    public DownloadRunner(RemoteDataset dataset, DownloadLock downloadLock, StatCache statCache, ITransferDisplay display, TextWriter output)
    {
        this.dataset = dataset;
        this.downloadLock = downloadLock;
        this.statCache = statCache;
        this.display = display;
        this.output = output;
    }

    /// <summary>
    /// Syncs the metadata prefixes and the images of <paramref name="plates"/> (all configured plates, or a shard's);
    /// images not kept locally are listed and recorded only. The site stages of this run reuse the plan's listing.
    /// </summary>
    public void Run(bool explain, IReadOnlyList<PlateDirectory> plates)
    {
        IReadOnlyList<SyncUnit> units = dataset.Units(plates);
        IDownloadStrategy strategy = explain
            ? new DownloadExplanation(dataset.Options.DeleteRemovedObjects, output)
            : new DownloadExecution(statCache, downloadLock, display, output);
        IReadOnlyDictionary<string, RemoteObjectRecord> previous = downloadLock.PreviousRecords(units);
        SyncPlan plan = dataset.Synchronizer.PlanAsync(units, previous).GetAwaiter().GetResult();
        dataset.Adopt(plan, previous);
        strategy.Apply(dataset.Synchronizer, plan);
    }

    /// <summary>Prints retried faults and failures; fails the target when there is any failure, saying what was not affected.</summary>
    internal static void FailOnProblems(IReadOnlyList<TransientFault> faults, IReadOnlyList<SyncFailure> failures, string unaffected, TextWriter output)
    {
        if (faults.Count > 0)
        {
            output.WriteLine($"  {faults.Count} transient fault(s) retried");
        }

        ReportPrinter.List(output, "FAILED", failures, failure => failure.Key, failure => $"{failure.Reason} (after {failure.Attempts} attempt(s))");
        if (failures.Count > 0)
        {
            throw new BuildFailedException($"download: {failures.Count} object(s) or listing(s) failed (listed above); {unaffected}.");
        }
    }
}
