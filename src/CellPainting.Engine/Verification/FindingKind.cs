namespace CellPainting.Engine.Verification;

/// <summary>What is wrong with an item, an output or a manifest when checked against the lock.</summary>
public enum FindingKind
{
    /// <summary>A manifest is missing, unreadable, or does not match its digest or item count in the lock.</summary>
    LockInconsistent,

    /// <summary>The lock records an item that the current plan does not have.</summary>
    NotInPlan,

    /// <summary>The current plan has an item (or an item's output) that the lock does not record.</summary>
    NotInLock,

    /// <summary>An output the lock records is not on disk.</summary>
    Missing,

    /// <summary>An output's content no longer hashes to what the lock records.</summary>
    Modified,

    /// <summary>An output could not be read to the end.</summary>
    Unreadable,

    /// <summary>A sampled item's inputs or parameters are not those the lock records, so its outputs are not expected to match.</summary>
    Stale,

    /// <summary>A sampled item rebuilt from the recorded inputs gave other outputs than the lock records, or failed to build.</summary>
    NotReproduced,
}
