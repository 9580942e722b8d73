namespace CellPainting.Stages.Download;

/// <summary>
/// The result of <see cref="S3Synchronizer.PlanAsync"/>: every unit listed and diffed against the previous sync's
/// records, nothing fetched and nothing written. <see cref="S3Synchronizer.ExecuteAsync"/> carries it out; a dry run
/// only reports it.
/// </summary>
public sealed class SyncPlan
{
    internal SyncPlan(string bucket, IReadOnlyList<UnitPlan> units, IReadOnlyList<TransientFault> transientFaults)
    {
        Bucket = bucket;
        Units = units;
        TransientFaults = transientFaults;
    }

    /// <summary>The bucket listed.</summary>
    public string Bucket { get; }

    /// <summary>One plan per unit, in the order the units were given.</summary>
    public IReadOnlyList<UnitPlan> Units { get; }

    /// <summary>Faults retried while listing.</summary>
    public IReadOnlyList<TransientFault> TransientFaults { get; }

    /// <summary>Listing failures and refused keys of every unit.</summary>
    public IReadOnlyList<SyncFailure> Failures => [.. Units.SelectMany(unit => unit.Failures)];

    /// <summary>Objects to fetch across all units.</summary>
    public int PendingCount => Units.Sum(unit => unit.Pending.Count);

    /// <summary>Bytes to fetch across all units.</summary>
    public long PendingBytes => Units.Sum(unit => unit.Pending.Sum(item => item.Size));
}
