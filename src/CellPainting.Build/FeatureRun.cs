using CellPainting.Engine.Execution;
using CellPainting.Stages.Features;

namespace CellPainting.Build;

/// <summary>What a Features run did: the stage report, whether it had to load the model, and where its time went.</summary>
public sealed record FeatureRun(StageReport Report, bool ModelLoaded, FeatureTimeSplit Time);
