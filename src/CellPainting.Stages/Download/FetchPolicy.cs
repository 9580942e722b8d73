namespace CellPainting.Stages.Download;

/// <summary>Which of a unit's listed objects a sync fetches; every listed object is recorded whatever the policy.</summary>
public enum FetchPolicy
{
    /// <summary>A mirror: objects new or changed remotely, and every one whose local copy is missing or of the wrong size.</summary>
    Mirror,

    /// <summary>
    /// Objects whose digest no record vouches for (new, changed remotely, never fetched) and local copies of the wrong
    /// size; an object whose recorded digest stands and that is not here is left to the builds that need it.
    /// </summary>
    UnknownDigests,

    /// <summary>None: the objects are listed and recorded only; builds fetch the ones they need.</summary>
    None,
}
