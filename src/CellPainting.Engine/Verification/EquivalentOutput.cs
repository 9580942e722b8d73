namespace CellPainting.Engine.Verification;

/// <summary>A rebuilt output that differs from the recorded bytes but that the comparer accepted, and why.</summary>
public sealed record EquivalentOutput(string ItemId, string OutputName, string Detail);
