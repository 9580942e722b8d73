namespace CellPainting.Stages.Download;

/// <summary>Why a sync plan fetches an object.</summary>
public enum FetchReason
{
    /// <summary>The previous sync has no record of the key.</summary>
    New,

    /// <summary>The listed ETag or size differs from the previous sync's record.</summary>
    Changed,

    /// <summary>The remote object is unchanged but its local copy is missing or has the wrong size.</summary>
    LocalCopyMissing,

    /// <summary>Listed before but never fetched (a list-only unit), so its digest is not known.</summary>
    DigestUnknown,
}
