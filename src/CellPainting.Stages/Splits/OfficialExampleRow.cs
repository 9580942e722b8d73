namespace CellPainting.Stages.Splits;

/// <summary>The per-perturbation columns of one row of the official representation-learning example split.</summary>
internal sealed record OfficialExampleRow(string Target, string TimepointCode, int? TargetRadix, bool TargetIsAcross, int Line);
