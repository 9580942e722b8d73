namespace CellPainting.Stages.Features;

/// <summary>The CUDA execution provider was requested (provider <c>cuda</c>) but cannot run; the message says why.</summary>
public sealed class CudaUnavailableException : Exception
{
    /// <summary>Creates the exception from the missing pieces and/or ONNX Runtime's own error.</summary>
    public CudaUnavailableException(IReadOnlyList<string> missing, string? runtimeError, Exception? innerException = null)
        : base(Describe(missing, runtimeError), innerException)
    {
        Missing = missing;
        RuntimeError = runtimeError;
    }

    /// <summary>Missing libraries or files, each as "what (file)"; empty when everything loaded but ONNX Runtime failed.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>ONNX Runtime's message when it failed to set up CUDA, else null.</summary>
    public string? RuntimeError { get; }

    /// <summary>The reason alone, for the one-line fallback message of provider <c>auto</c>.</summary>
    internal static string Reason(IReadOnlyList<string> missing, string? runtimeError) =>
        missing.Count > 0
            ? "missing " + string.Join("; ", missing)
            : $"ONNX Runtime could not start it: {runtimeError}";

    private static string Describe(IReadOnlyList<string> missing, string? runtimeError)
    {
        ArgumentNullException.ThrowIfNull(missing);
        return $"The CUDA execution provider cannot be used: {Reason(missing, runtimeError)}. "
            + "Install what is missing on this machine, or set the features provider to cpu (or auto to fall back to CPU).";
    }
}

