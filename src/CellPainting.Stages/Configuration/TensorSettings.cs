namespace CellPainting.Stages.Configuration;

/// <summary>Site tensors: side length S of the (5,S,S) output.</summary>
public sealed record TensorSettings(int Size);
