namespace CellPainting.Stages.Features;

/// <summary>Settings of a <see cref="FeatureExtractor"/>, normally read from the dataset config.</summary>
public sealed record FeatureExtractorOptions
{
    /// <summary>The ONNX export of the backbone (see models/export_dinov3_hf.py).</summary>
    public required string ModelPath { get; init; }

    /// <summary>auto, cpu or cuda.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Auto;

    /// <summary>Sites per forward pass (each site is 5 images), as the reference's <c>batch_size</c> (48 in its yml).</summary>
    public int BatchSize { get; init; } = 48;

    /// <summary>CUDA device ordinal.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>ONNX Runtime intra-op threads on CPU; 0 lets it use one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Graph input: float32 (batch, 3, H, W).</summary>
    public string InputName { get; init; } = "pixel_values";

    /// <summary>Graph output: float32 (batch, D), the normalised CLS token.</summary>
    public string OutputName { get; init; } = "pooler_output";
}
