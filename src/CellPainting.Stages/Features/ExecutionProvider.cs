namespace CellPainting.Stages.Features;

/// <summary>Where ONNX Runtime runs the DINOv3 forward pass (config values <c>auto</c>, <c>cpu</c>, <c>cuda</c>).</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when it loads, else CPU with one log line explaining why.</summary>
    Auto,

    /// <summary>ONNX Runtime's CPU execution provider.</summary>
    Cpu,

    /// <summary>ONNX Runtime's CUDA execution provider; an error names what is missing when it cannot load.</summary>
    Cuda,
}
