namespace CellPainting.Engine.Verification;

/// <summary>How a sample of a target's items rebuilt in scratch compares with the lock.</summary>
public sealed record SampleResult(
    string Target,
    int Sampled,
    int Identical,
    IReadOnlyList<EquivalentOutput> Equivalent,
    IReadOnlyList<VerificationFinding> Findings,
    TimeSpan Elapsed)
{
    public bool Passed => Findings.Count == 0;
}
