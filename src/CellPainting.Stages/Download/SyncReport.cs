namespace CellPainting.Stages.Download;

/// <summary>Outcome of <see cref="S3Synchronizer.SyncAsync"/>: per-unit summaries, failures and retried faults.</summary>
public sealed class SyncReport
{
    internal SyncReport(IReadOnlyList<SyncUnitReport> units, IReadOnlyList<SyncFailure> failures, IReadOnlyList<TransientFault> transientFaults)
    {
        Units = units;
        Failures = failures;
        TransientFaults = transientFaults;
    }

    /// <summary>One report per unit, in the order the units were given.</summary>
    public IReadOnlyList<SyncUnitReport> Units { get; }

    /// <summary>Objects (or listings) that could not be synced; non-empty means the caller must fail.</summary>
    public IReadOnlyList<SyncFailure> Failures { get; }

    /// <summary>Every retried fault, in no particular order.</summary>
    public IReadOnlyList<TransientFault> TransientFaults { get; }

    /// <summary>True when every listing succeeded and every selected object is present and verified.</summary>
    public bool Succeeded => Failures.Count == 0;

    /// <summary>
    /// The records to persist and pass back as <c>previousRecords</c> next time, keyed by full S3 key. Objects that
    /// failed this time are absent, so the next sync fetches them again.
    /// </summary>
    public IReadOnlyDictionary<string, RemoteObjectRecord> ToRecordMap()
    {
        var map = new Dictionary<string, RemoteObjectRecord>(StringComparer.Ordinal);
        foreach (var synced in Units.SelectMany(u => u.Objects))
        {
            map[synced.Key] = synced.Record;
        }

        return map;
    }
}
