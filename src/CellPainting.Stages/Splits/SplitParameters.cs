namespace CellPainting.Stages.Splits;

/// <summary>The reference's <c>SplitParams</c>; only <see cref="SplitStrategy.PertType"/> reads them.</summary>
/// <param name="ValFraction">Fraction of broad_samples sent to validate, and again to test.</param>
/// <param name="Seed">Mixed into the md5 of each broad_sample (the training runtime seed).</param>
public sealed record SplitParameters(double ValFraction = 0.1, int Seed = 42);
