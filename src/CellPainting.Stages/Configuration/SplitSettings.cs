namespace CellPainting.Stages.Configuration;

/// <summary>
/// Which split strategies to write, which is the default, pert_type's parameters, and whether the official strategies
/// skip wells without an official context (false: fail naming them, as the reference raises).
/// </summary>
public sealed record SplitSettings(IReadOnlyList<string> Strategies, string Default, double ValFraction, int Seed, bool SkipWellsWithoutContext);
