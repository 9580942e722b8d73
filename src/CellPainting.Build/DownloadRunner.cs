using System.Globalization;
using System.Text;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>
/// The Download target: syncs the configured plates and the two metadata prefixes from S3, fetching only objects
/// whose ETag or size differ from the lock's manifests, hands the SHA-256 of every fetched file to the stat cache,
/// and records per unit the source URL, object count, bytes and a digest (one manifest line per object).
/// </summary>
internal sealed class DownloadRunner
{
    public const string Target = "download";
    private const int RecipeVersion = 1;
    private const string Header = "# key\tetag\tsize\tsha256";

    private readonly BuildConfig config;
    private readonly LockStore lockStore;
    private readonly StatCache statCache;
    private readonly TextWriter output;

    public DownloadRunner(BuildConfig config, LockStore lockStore, StatCache statCache, TextWriter output)
    {
        this.config = config;
        this.lockStore = lockStore;
        this.statCache = statCache;
        this.output = output;
    }

    public void Run()
    {
        (string bucket, string prefix) = ParseEndpoint(config.Endpoint);
        ImageObjectSelection selection = config.Fetch.AllChannels ? ImageObjectSelection.Everything : ImageObjectSelection.Fluorescence;
        IReadOnlyList<SyncUnit> units = CpJump1SyncUnits.Create(
            config.Batch, config.Plates.Select(plate => plate.Name), config.Local.Metadata, config.Local.RawImages, selection, prefix);
        var options = new S3SyncOptions
        {
            Bucket = bucket,
            Region = config.Fetch.Region,
            EndpointUrl = config.Fetch.EndpointUrl is null ? null : new Uri(config.Fetch.EndpointUrl),
            Profile = config.Fetch.NoSignRequest ? null : config.Fetch.Profile,
            MaxParallelDownloads = config.Fetch.Parallelism,
        };

        SyncReport report;
        using (var synchronizer = new S3Synchronizer(options))
        {
            var progress = new Progress<SyncProgress>(Report);
            report = synchronizer.SyncAsync(units, PreviousRecords(units), progress).GetAwaiter().GetResult();
        }

        foreach (SyncedObject synced in report.Units.SelectMany(unit => unit.Objects).Where(synced => synced.Downloaded))
        {
            // The file was hashed while streaming: later stages must not read it again to learn its hash.
            if (FileStatReader.TryRead(synced.LocalPath) is FileStamp stamp && stamp.Size == synced.Record.Size)
            {
                statCache.Record(synced.LocalPath, stamp, synced.Record.Sha256);
            }
        }

        statCache.Save();
        RecordInLock(units, report, bucket, prefix, selection);
        PrintSummary(report);
        if (!report.Succeeded)
        {
            throw new BuildFailedException($"download: {report.Failures.Count} object(s) failed (listed above); everything else is synced and recorded.");
        }
    }

    /// <summary>Lock groups: plates by barcode, the metadata prefixes by a path-free name.</summary>
    internal static string GroupName(SyncUnit unit, BuildConfig config)
    {
        PlateDirectory? plate = config.Plates.FirstOrDefault(candidate => candidate.Name == unit.Name);
        return plate?.Barcode ?? "metadata-" + unit.Name.Split('/')[0].Replace('_', '-');
    }

    internal static (string Bucket, string Prefix) ParseEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme != "s3" || uri.Host.Length == 0)
        {
            throw new ConfigException($"cpjump.endpoint: expected s3://bucket/prefix, found '{endpoint}'.");
        }

        string prefix = uri.AbsolutePath.Trim('/');
        return (uri.Host, prefix.Length == 0 ? string.Empty : prefix + "/");
    }

    private Dictionary<string, RemoteObjectRecord> PreviousRecords(IReadOnlyList<SyncUnit> units)
    {
        var records = new Dictionary<string, RemoteObjectRecord>(StringComparer.Ordinal);
        foreach (SyncUnit unit in units)
        {
            string? manifest = lockStore.ReadManifest(Target, GroupName(unit, config));
            foreach (string line in (manifest ?? string.Empty).Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')))
            {
                string[] fields = line.Split('\t');
                if (fields.Length == 4 && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                {
                    records[unit.RemotePrefix + fields[0]] = new RemoteObjectRecord(fields[1], size, fields[3]);
                }
            }
        }

        return records;
    }

    private void RecordInLock(IReadOnlyList<SyncUnit> units, SyncReport report, string bucket, string prefix, ImageObjectSelection selection)
    {
        var groups = new Dictionary<string, GroupContent>(StringComparer.Ordinal);
        foreach ((SyncUnit unit, SyncUnitReport unitReport) in units.Zip(report.Units))
        {
            if (!unitReport.ListingComplete)
            {
                continue; // an incomplete listing proves nothing: keep no record rather than a wrong one
            }

            var manifest = new StringBuilder(Header).Append('\n');
            foreach (SyncedObject synced in unitReport.Objects.OrderBy(synced => synced.RelativeKey, StringComparer.Ordinal))
            {
                manifest.Append(CultureInfo.InvariantCulture, $"{synced.RelativeKey}\t{synced.Record.ETag}\t{synced.Record.Size}\t{synced.Record.Sha256}\n");
            }

            groups[GroupName(unit, config)] = new GroupContent(
                Encoding.UTF8.GetBytes(manifest.ToString()),
                unitReport.ObjectCount,
                new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["url"] = unitReport.SourceUrl,
                    ["bytes"] = unitReport.TotalBytes.ToString(CultureInfo.InvariantCulture),
                    ["listing_digest"] = "sha256:" + unitReport.Digest,
                });
        }

        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["bucket"] = bucket,
            ["prefix"] = prefix,
            ["objects"] = selection == ImageObjectSelection.Everything ? "all" : "fluorescence channels 1-5 + metadata",
        };
        lockStore.Record(Target, RecipeVersion, parameters, groups);
    }

    private void Report(SyncProgress progress)
    {
        // Progress<T> posts to the thread pool; one line per call is enough for logs.
        if (progress.ObjectsTotal > 0 && progress.ObjectsDone % 500 == 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"download: {progress.ObjectsDone}/{progress.ObjectsTotal} objects, {progress.BytesDone / 1e6:F1}/{progress.BytesTotal / 1e6:F1} MB"));
        }
    }

    private void PrintSummary(SyncReport report)
    {
        foreach (SyncUnitReport unit in report.Units)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"download: {unit.Name}: {unit.ObjectCount} objects ({unit.TotalBytes / 1e6:F1} MB), fetched {unit.DownloadedCount} ({unit.DownloadedBytes / 1e6:F1} MB)"));
            foreach (RemovedObject removed in unit.Removed)
            {
                output.WriteLine($"  removed remotely: {removed.Key}{(removed.LocalCopyDeleted ? " (local copy deleted)" : " (local copy kept)")}");
            }
        }

        if (report.TransientFaults.Count > 0)
        {
            output.WriteLine($"  {report.TransientFaults.Count} transient fault(s) retried");
        }

        foreach (SyncFailure failure in report.Failures)
        {
            output.WriteLine($"  FAILED {failure.Key}: {failure.Reason} (after {failure.Attempts} attempt(s))");
        }
    }
}
