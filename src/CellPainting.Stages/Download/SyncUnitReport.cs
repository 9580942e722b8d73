namespace CellPainting.Stages.Download;

/// <summary>
/// Summary of one sync unit in the spirit of the Cell Painting Gallery manifests (url, etag): where it came from,
/// how many objects and bytes the selection holds, and a digest that changes whenever any selected object does.
/// </summary>
public sealed class SyncUnitReport
{
    internal SyncUnitReport(
        string name,
        string sourceUrl,
        string localDirectory,
        bool listingComplete,
        int objectCount,
        long totalBytes,
        string? digest,
        IReadOnlyList<SyncedObject> objects,
        IReadOnlyList<RemovedObject> removed)
    {
        Name = name;
        SourceUrl = sourceUrl;
        LocalDirectory = localDirectory;
        ListingComplete = listingComplete;
        ObjectCount = objectCount;
        TotalBytes = totalBytes;
        Digest = digest;
        Objects = objects;
        Removed = removed;
    }

    /// <summary>Unit name.</summary>
    public string Name { get; }

    /// <summary><c>s3://bucket/prefix/</c> of the unit.</summary>
    public string SourceUrl { get; }

    /// <summary>Absolute local folder of the unit.</summary>
    public string LocalDirectory { get; }

    /// <summary>False when the listing itself failed; counts and digest are then unknown and removals were not checked.</summary>
    public bool ListingComplete { get; }

    /// <summary>Which listed objects the sync fetched (<see cref="SyncUnit.Fetch"/>).</summary>
    public FetchPolicy Fetch { get; init; }

    /// <summary>Objects known by their recorded digests and not here, left to the builds that need them.</summary>
    public int OnDemand { get; init; }

    /// <summary>Objects selected from the listing (after the unit's filter and the key safety check).</summary>
    public int ObjectCount { get; }

    /// <summary>Sum of the selected objects' sizes.</summary>
    public long TotalBytes { get; }

    /// <summary>
    /// Lower-case hex SHA-256 over the lines <c>relativeKey\tetag\tsize\n</c> of the selected objects, sorted by
    /// relative key (ordinal); null when the listing failed.
    /// </summary>
    public string? Digest { get; }

    /// <summary>Objects whose local copy is complete and verified, sorted by relative key.</summary>
    public IReadOnlyList<SyncedObject> Objects { get; }

    /// <summary>Objects recorded previously under this prefix that the listing no longer has.</summary>
    public IReadOnlyList<RemovedObject> Removed { get; }

    /// <summary>Objects this sync fetched.</summary>
    public int DownloadedCount => Objects.Count(o => o.Downloaded);

    /// <summary>Bytes this sync fetched.</summary>
    public long DownloadedBytes => Objects.Where(o => o.Downloaded).Sum(o => o.Record.Size);
}
