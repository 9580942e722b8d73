using System.Collections.Concurrent;
using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Download;

/// <summary>
/// The configured dataset in its bucket, as one sync plan serves the Download target and the site stages: the sync
/// units, the synchronizer (one S3 client), and each plate's listed images as remote inputs known by their recorded
/// digests. Download adopts the plan it lists; a run without Download lists the plates' images itself when they are
/// not kept locally (<c>fetch.keep_raw: false</c>). Digests learnt by builds that fetched an image are collected for
/// the lock's download section.
/// </summary>
public sealed class RemoteDataset : IDisposable
{
    private readonly BuildConfig config;
    private readonly Func<IReadOnlyList<SyncUnit>, IReadOnlyDictionary<string, RemoteObjectRecord>> previousRecords;
    private readonly Lazy<S3Synchronizer> synchronizer;
    private readonly ConcurrentDictionary<string, string> learned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitPlan> imagePlans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlateImages> plates = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <param name="previousRecords">The lock's records of the previous sync of these units, keyed by full S3 key.</param>
    public RemoteDataset(BuildConfig config, Func<IReadOnlyList<SyncUnit>, IReadOnlyDictionary<string, RemoteObjectRecord>> previousRecords)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(previousRecords);
        this.config = config;
        this.previousRecords = previousRecords;
        Bucket = config.EndpointUrl.Bucket;
        Prefix = config.EndpointUrl.Prefix;
        Options = S3SyncOptions.For(Bucket, config.Fetch, config.Fetch.Parallelism);
        synchronizer = new Lazy<S3Synchronizer>(() => new S3Synchronizer(Options));
    }

    public string Bucket { get; }

    /// <summary>The dataset's key prefix in the bucket ("" or ending in '/').</summary>
    public string Prefix { get; }

    public S3SyncOptions Options { get; }

    /// <summary>Whether images are kept in <c>local.raw_images</c> (synced by Download) or fetched into memory by the builds that need them.</summary>
    public bool KeepRaw => config.Fetch.KeepRaw;

    public S3Synchronizer Synchronizer => synchronizer.Value;

    /// <summary>
    /// The metadata prefixes and the given plates' images. Images whose recorded digests stand are never fetched by a
    /// sync: the builds that need them do (into the local folder, or with <c>keep_raw: false</c> into memory, in which
    /// case the sync fetches no image at all).
    /// </summary>
    public IReadOnlyList<SyncUnit> Units(IEnumerable<PlateDirectory> plateDirectories) =>
        CpJump1SyncUnits.Create(
            config.Batch,
            plateDirectories.Select(plate => plate.Name),
            config.Local.Metadata,
            config.Local.RawImages,
            config.Fetch.AllChannels ? ImageObjectSelection.Everything : ImageObjectSelection.Fluorescence,
            Prefix,
            KeepRaw ? FetchPolicy.UnknownDigests : FetchPolicy.None);

    /// <summary>Takes the plates' image listings from a plan Download made, so the site stages list nothing again.</summary>
    public void Adopt(SyncPlan plan, IReadOnlyDictionary<string, RemoteObjectRecord> previous)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(previous);
        lock (gate)
        {
            foreach (UnitPlan unit in plan.Units.Where(unit => config.Plates.Any(plate => plate.Name == unit.Unit.Name)))
            {
                imagePlans[unit.Unit.Name] = unit;
                plates[unit.Unit.Name] = ImagesIn(unit, previous);
            }
        }
    }

    /// <summary>
    /// The plate's listed images, listing the configured plates not listed yet in this run when they are not kept
    /// locally; null when the local folder alone is the source (kept locally, and Download did not list them this run).
    /// </summary>
    public PlateImages? ImagesOf(PlateDirectory plate)
    {
        ArgumentNullException.ThrowIfNull(plate);
        lock (gate)
        {
            if (!plates.ContainsKey(plate.Name) && !KeepRaw)
            {
                PlatePlan(config.Plates.Where(candidate => !plates.ContainsKey(candidate.Name)).ToArray());
            }

            return plates.GetValueOrDefault(plate.Name);
        }
    }

    /// <summary>
    /// The list-only plates whose images had digests learnt since the last call, as sync reports of every object now
    /// known (unknown digests stay null), for the lock's download section.
    /// </summary>
    public IReadOnlyList<SyncUnitReport> TakeLearned()
    {
        lock (gate)
        {
            var reports = new List<SyncUnitReport>();
            foreach (UnitPlan unit in imagePlans.Values.Where(unit => unit.Unit.Fetch == FetchPolicy.None && unit.ListingComplete).OrderBy(unit => unit.Unit.Name, StringComparer.Ordinal))
            {
                List<SyncedObject> objects = unit.CurrentObjects;
                bool changed = false;
                for (int index = 0; index < objects.Count; index++)
                {
                    if (objects[index].Record.Sha256 is null && learned.TryGetValue(objects[index].Key, out string? sha256))
                    {
                        objects[index] = objects[index] with { Record = objects[index].Record with { Sha256 = sha256 } };
                        changed = true;
                    }
                }

                if (changed)
                {
                    reports.Add(new SyncUnitReport(unit.Unit.Name, unit.SourceUrl, unit.Unit.LocalDirectory, true, unit.ObjectCount, unit.TotalBytes, unit.Digest, [.. objects], []) { Fetch = FetchPolicy.None });
                }
            }

            return reports;
        }
    }

    public void Dispose()
    {
        if (synchronizer.IsValueCreated)
        {
            synchronizer.Value.Dispose();
        }
    }

    internal void Learn(string key, string sha256) => learned[key] = sha256;

    internal string? LearntDigestOf(string key) => learned.GetValueOrDefault(key);

    private void PlatePlan(IReadOnlyList<PlateDirectory> unlisted)
    {
        if (unlisted.Count == 0)
        {
            return;
        }

        IReadOnlyList<SyncUnit> units = Units(unlisted).Where(unit => unlisted.Any(plate => plate.Name == unit.Name)).ToArray();
        IReadOnlyDictionary<string, RemoteObjectRecord> previous = previousRecords(units);
        SyncPlan plan = Synchronizer.PlanAsync(units, previous).GetAwaiter().GetResult();
        foreach (UnitPlan unit in plan.Units)
        {
            imagePlans[unit.Unit.Name] = unit;
            plates[unit.Unit.Name] = ImagesIn(unit, previous);
        }
    }

    /// <summary>Each listed object by file name: by its recorded digest where the record has this ETag and size, else unknown.</summary>
    private PlateImages ImagesIn(UnitPlan unit, IReadOnlyDictionary<string, RemoteObjectRecord> previous)
    {
        if (!unit.ListingComplete)
        {
            return new PlateImages(new Dictionary<string, IRemoteInput>(), string.Join("; ", unit.Failures.Select(failure => failure.Reason)));
        }

        var objects = new Dictionary<string, IRemoteInput>(StringComparer.Ordinal);
        foreach (SyncedObject current in unit.Current)
        {
            objects[current.RelativeKey] = new RemoteImage(this, current.Key, current.Record);
        }

        foreach (PendingDownload pending in unit.Pending)
        {
            RemoteObjectRecord record = pending.Reason == FetchReason.LocalCopyMissing && previous.TryGetValue(pending.Key, out RemoteObjectRecord? recorded)
                ? recorded
                : new RemoteObjectRecord(pending.Listed.ETag, pending.Size, Sha256: null);
            objects[pending.RelativeKey] = new RemoteImage(this, pending.Key, record);
        }

        return new PlateImages(objects, null);
    }
}
