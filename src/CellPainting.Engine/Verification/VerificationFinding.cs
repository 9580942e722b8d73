namespace CellPainting.Engine.Verification;

/// <summary>One problem found by a verification: what it concerns (an item id or a manifest), its kind, and the detail.</summary>
public sealed record VerificationFinding(string Subject, FindingKind Kind, string Detail);
