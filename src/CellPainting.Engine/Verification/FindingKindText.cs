namespace CellPainting.Engine.Verification;

/// <summary>The words users read for each kind of finding, in summaries and lists.</summary>
public static class FindingKindText
{
    public static string Describe(this FindingKind kind) => kind switch
    {
        FindingKind.LockInconsistent => "lock inconsistent",
        FindingKind.NotInPlan => "not in the plan",
        FindingKind.NotInLock => "not in the lock",
        FindingKind.Missing => "missing",
        FindingKind.Modified => "modified",
        FindingKind.Unreadable => "unreadable",
        FindingKind.Stale => "stale",
        FindingKind.NotReproduced => "not reproduced",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
