namespace CellPainting.Stages.Download;

/// <summary>What one unit's listing says must happen: objects already current, objects to fetch, removals, refusals.</summary>
internal sealed class UnitPlan
{
    public UnitPlan(SyncUnit unit)
    {
        Unit = unit;
    }

    public SyncUnit Unit { get; }

    public bool ListingComplete { get; set; }

    /// <summary>Selected objects (safe keys that pass the unit's filter), for the count, size and digest.</summary>
    public List<(string RelativeKey, string ETag, long Size)> Selected { get; } = [];

    public List<SyncedObject> Current { get; } = [];

    public List<PendingDownload> Pending { get; } = [];

    public List<RemovedObject> Removed { get; } = [];

    public List<SyncFailure> Failures { get; } = [];
}
