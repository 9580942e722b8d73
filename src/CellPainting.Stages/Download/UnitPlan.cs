namespace CellPainting.Stages.Download;

/// <summary>
/// What one unit's listing says must happen, compared with the previous sync's records: objects already current,
/// objects to fetch, objects removed remotely, and keys refused. Planning reads the listing and stats local files only.
/// </summary>
public sealed class UnitPlan
{
    internal UnitPlan(SyncUnit unit, string bucket)
    {
        Unit = unit;
        SourceUrl = $"s3://{bucket}/{unit.RemotePrefix}";
    }

    /// <summary>The unit planned.</summary>
    public SyncUnit Unit { get; }

    /// <summary><c>s3://bucket/prefix/</c> of the unit.</summary>
    public string SourceUrl { get; }

    /// <summary>False when the listing failed: nothing is fetched and removals are not checked.</summary>
    public bool ListingComplete { get; internal set; }

    /// <summary>Objects selected from the listing (after the unit's filter and the key safety check).</summary>
    public int ObjectCount => SelectedEntries.Count;

    /// <summary>Sum of the selected objects' sizes.</summary>
    public long TotalBytes => SelectedEntries.Sum(entry => entry.Size);

    /// <summary>Digest of the selection (see <see cref="SyncUnitReport.Digest"/>); null when the listing failed.</summary>
    public string? Digest => ListingComplete ? ManifestDigest.Compute(SelectedEntries) : null;

    /// <summary>Selected objects whose local copy is current: no request needed.</summary>
    public IReadOnlyList<SyncedObject> Current => CurrentObjects;

    /// <summary>Selected objects to fetch, in listing order.</summary>
    public IReadOnlyList<PendingDownload> Pending => PendingObjects;

    /// <summary>Objects known by their recorded digests and not here, left to the builds that need them (<see cref="FetchPolicy.UnknownDigests"/>).</summary>
    public int OnDemand => OnDemandCount;

    /// <summary>Full keys the previous sync recorded under this prefix that the listing no longer has.</summary>
    public IReadOnlyList<string> RemovedKeys => RemovedKeyList;

    /// <summary>The listing failure, or keys refused by name; each means the caller must fail.</summary>
    public IReadOnlyList<SyncFailure> Failures => FailureList;

    internal List<(string RelativeKey, string ETag, long Size)> SelectedEntries { get; } = [];

    internal List<SyncedObject> CurrentObjects { get; } = [];

    internal int OnDemandCount { get; set; }

    internal List<PendingDownload> PendingObjects { get; } = [];

    internal List<string> RemovedKeyList { get; } = [];

    internal List<SyncFailure> FailureList { get; } = [];
}
