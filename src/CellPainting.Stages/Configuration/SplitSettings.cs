namespace CellPainting.Stages.Configuration;

/// <summary>Which split strategies to write, which is the default, and pert_type's parameters.</summary>
public sealed record SplitSettings(IReadOnlyList<string> Strategies, string Default, double ValFraction, int Seed);
