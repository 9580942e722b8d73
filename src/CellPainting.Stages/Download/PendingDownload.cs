namespace CellPainting.Stages.Download;

/// <summary>An object a sync plan fetches, with the safe local path already resolved and the reason it is fetched.</summary>
public sealed class PendingDownload
{
    internal PendingDownload(string unitName, ListedObject listed, string relativeKey, string localPath, FetchReason reason)
    {
        UnitName = unitName;
        Listed = listed;
        RelativeKey = relativeKey;
        LocalPath = localPath;
        Reason = reason;
    }

    /// <summary>Name of the unit the object belongs to.</summary>
    public string UnitName { get; }

    /// <summary>Full S3 key.</summary>
    public string Key => Listed.Key;

    /// <summary>Key below the unit prefix.</summary>
    public string RelativeKey { get; }

    /// <summary>Listed size in bytes.</summary>
    public long Size => Listed.Size;

    /// <summary>Absolute local path the object is written to.</summary>
    public string LocalPath { get; }

    /// <summary>Why the object is fetched.</summary>
    public FetchReason Reason { get; }

    internal ListedObject Listed { get; }
}
