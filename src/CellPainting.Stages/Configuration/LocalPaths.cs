namespace CellPainting.Stages.Configuration;

/// <summary>Where things live on this machine (absolute after loading). <see cref="State"/> holds the engine's local state.</summary>
public sealed record LocalPaths(string RawImages, string Metadata, string Features, string Tensors, string Splits, string State);
