using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>
/// The Download target: plans a sync of the configured plates and the two metadata prefixes (list, then compare each
/// object's ETag and size with the lock's manifests) and hands the plan to a strategy, which either fetches what it
/// lists and records the result, or only reports it (--explain).
/// </summary>
internal sealed class DownloadRunner
{
    private readonly BuildConfig config;
    private readonly LockStore lockStore;
    private readonly StatCache statCache;
    private readonly ITransferDisplay display;
    private readonly TextWriter output;

    public DownloadRunner(BuildConfig config, LockStore lockStore, StatCache statCache, ITransferDisplay display, TextWriter output)
    {
        this.config = config;
        this.lockStore = lockStore;
        this.statCache = statCache;
        this.display = display;
        this.output = output;
    }

    /// <summary>Syncs the metadata prefixes and the images of <paramref name="plates"/> (all configured plates, or a shard's).</summary>
    public void Run(bool explain, IReadOnlyList<PlateDirectory> plates)
    {
        (string bucket, string prefix) = ParseEndpoint(config.Endpoint);
        ImageObjectSelection selection = config.Fetch.AllChannels ? ImageObjectSelection.Everything : ImageObjectSelection.Fluorescence;
        IReadOnlyList<SyncUnit> units = CpJump1SyncUnits.Create(
            config.Batch, plates.Select(plate => plate.Name), config.Local.Metadata, config.Local.RawImages, selection, prefix);
        var options = new S3SyncOptions
        {
            Bucket = bucket,
            Region = config.Fetch.Region,
            EndpointUrl = config.Fetch.EndpointUrl is null ? null : new Uri(config.Fetch.EndpointUrl),
            Profile = config.Fetch.NoSignRequest ? null : config.Fetch.Profile,
            MaxParallelDownloads = config.Fetch.Parallelism,
            DeleteRemovedObjects = config.Fetch.DeleteRemoved,
        };
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["bucket"] = bucket,
            ["prefix"] = prefix,
            ["objects"] = selection == ImageObjectSelection.Everything ? "all" : "fluorescence channels 1-5 + metadata",
        };

        var downloadLock = new DownloadLock(config, lockStore);
        IDownloadStrategy strategy = explain
            ? new DownloadExplanation(options.DeleteRemovedObjects, output)
            : new DownloadExecution(statCache, downloadLock, parameters, display, output);
        using var synchronizer = new S3Synchronizer(options);
        SyncPlan plan = synchronizer.PlanAsync(units, downloadLock.PreviousRecords(units)).GetAwaiter().GetResult();
        strategy.Apply(synchronizer, plan);
    }

    internal static (string Bucket, string Prefix) ParseEndpoint(string endpoint)
    {
        if (!S3Url.TryParse(endpoint, out S3Url? url))
        {
            throw new ConfigException($"cpjump.endpoint: expected s3://bucket/prefix, found '{endpoint}'.");
        }

        return (url!.Bucket, url.Prefix);
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
