namespace CellPainting.Stages.Features;

/// <summary>Cumulative work of a <see cref="FeatureExtractor"/>: preprocessing (normalise + batch) and the forward pass.</summary>
/// <param name="Sites">Sites extracted.</param>
/// <param name="Batches">Forward passes run.</param>
/// <param name="Preprocess">Time building the normalised NCHW batch.</param>
/// <param name="Inference">Time in ONNX Runtime's Run plus copying each site's features out.</param>
public sealed record FeatureTimings(long Sites, long Batches, TimeSpan Preprocess, TimeSpan Inference)
{
    /// <summary>No work: what a run that never loaded the model did.</summary>
    public static FeatureTimings None { get; } = new(0, 0, TimeSpan.Zero, TimeSpan.Zero);
}
