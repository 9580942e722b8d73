#nullable enable
using Microsoft.ML.OnnxRuntime;

namespace CellPainting.OnnxRuntime;

/// <summary>
/// Appends ONNX Runtime's CUDA execution provider through the C API entry that takes the legacy
/// <c>OrtCUDAProviderOptions</c> struct (<c>OrtApi::SessionOptionsAppendExecutionProvider_CUDA</c>).
/// Why: the npm core library is a CPU build. It lacks the <c>OrtSessionOptionsAppendExecutionProvider_CUDA</c>
/// export that <see cref="SessionOptions.AppendExecutionProvider_CUDA(int)"/> calls and the V2 options API
/// ("CUDA execution provider is not enabled in this build"), and the generic by-name entry does not know "CUDA";
/// this entry still loads libonnxruntime_providers_cuda.so from the core library's directory.
/// </summary>
public static class CudaExecutionProvider
{
    /// <summary>Adds the CUDA provider for <paramref name="deviceId"/> with ONNX Runtime's default settings.</summary>
    /// <exception cref="OnnxRuntimeException">The provider library or one of its CUDA dependencies did not load.</exception>
    public static unsafe void Append(SessionOptions sessionOptions, int deviceId)
    {
        ArgumentNullException.ThrowIfNull(sessionOptions);
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        var options = LegacyCudaProviderOptions.ForDevice(deviceId);
        NativeApiStatus.VerifySuccess(NativeMethods.SessionOptionsAppendExecutionProvider_CUDA(sessionOptions.Handle, (IntPtr)(&options)));
        GC.KeepAlive(sessionOptions);
    }
}
