namespace CellPainting.Stages.Splits;

/// <summary>A plate of the official (Standard) set with its derived plate-level context columns.</summary>
internal sealed record StandardPlate(string CellLine, string ExperimentType, int Timepoint, string TimepointCode);
