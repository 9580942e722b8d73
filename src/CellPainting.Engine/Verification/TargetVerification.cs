namespace CellPainting.Engine.Verification;

/// <summary>The outcome of re-hashing one target's outputs against the lock.</summary>
public sealed record TargetVerification(
    string Target,
    int ItemsChecked,
    int FilesHashed,
    long BytesHashed,
    IReadOnlyList<VerificationFinding> Findings,
    TimeSpan Elapsed)
{
    public bool Passed => Findings.Count == 0;

    public int Count(FindingKind kind) => Findings.Count(finding => finding.Kind == kind);
}
