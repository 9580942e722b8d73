namespace CellPainting.Stages.Download;

/// <summary>An object to fetch, with the safe local path already resolved; the result slot is filled by the transfer.</summary>
internal sealed class PendingDownload
{
    public PendingDownload(string unitName, ListedObject listed, string relativeKey, string localPath)
    {
        UnitName = unitName;
        Listed = listed;
        RelativeKey = relativeKey;
        LocalPath = localPath;
    }

    public string UnitName { get; }

    public ListedObject Listed { get; }

    public string RelativeKey { get; }

    public string LocalPath { get; }

    public SyncedObject? Result { get; set; }

    public SyncFailure? Failure { get; set; }
}
