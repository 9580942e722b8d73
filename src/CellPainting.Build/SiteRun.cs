using CellPainting.Engine.Execution;

namespace CellPainting.Build;

/// <summary>What running Tensors and Features together did: each target's result, and the TIFFs decoded for both.</summary>
public sealed record SiteRun(StageReport Tensors, FeatureRun Features, long TiffsDecoded);
