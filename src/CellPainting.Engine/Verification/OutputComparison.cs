namespace CellPainting.Engine.Verification;

/// <summary>An <see cref="OutputComparer"/>'s verdict and what it measured (a maximum difference, say).</summary>
public sealed record OutputComparison(bool Equivalent, string Detail);
