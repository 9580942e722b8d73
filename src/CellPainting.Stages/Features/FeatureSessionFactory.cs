using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace CellPainting.Stages.Features;

/// <summary>Creates the ONNX Runtime session on the requested execution provider, falling back for <c>auto</c>.</summary>
internal static class FeatureSessionFactory
{
    /// <summary>
    /// A session for <paramref name="modelPath"/>, the provider it runs on, and for <c>auto</c> without CUDA the one
    /// line for the caller to print.
    /// </summary>
    /// <exception cref="CudaUnavailableException">Provider <c>cuda</c> and CUDA cannot run.</exception>
    internal static (InferenceSession Session, ExecutionProvider Provider, string? Message) Create(string modelPath, FeatureExtractorOptions options) =>
        options.Provider == ExecutionProvider.Cpu
            ? (CreateSession(modelPath, options, cuda: false), ExecutionProvider.Cpu, null)
            : Create(modelPath, options, CudaProbe.FindMissing(OnnxRuntimeLibraries.CoreDirectory, OnnxRuntimeLibraries.CanLoad));

    /// <summary>As above for <c>auto</c>/<c>cuda</c>, given what <see cref="CudaProbe"/> found missing.</summary>
    internal static (InferenceSession Session, ExecutionProvider Provider, string? Message) Create(string modelPath, FeatureExtractorOptions options, IReadOnlyList<string> missingForCuda)
    {
        CudaUnavailableException failure;
        if (missingForCuda.Count == 0)
        {
            try
            {
                return (CreateSession(modelPath, options, cuda: true), ExecutionProvider.Cuda, null);
            }
            catch (OnnxRuntimeException error)
            {
                failure = new CudaUnavailableException([], WithLoaderReason(error.Message), error);
            }
        }
        else
        {
            failure = new CudaUnavailableException(missingForCuda, null);
        }

        if (options.Provider == ExecutionProvider.Cuda)
        {
            throw failure;
        }

        var message = $"Features: CUDA unavailable ({CudaUnavailableException.Reason(failure.Missing, failure.RuntimeError)}); running on CPU.";
        return (CreateSession(modelPath, options, cuda: false), ExecutionProvider.Cpu, message);
    }

    /// <summary>
    /// Adds the CUDA provider. It runs with ONNX Runtime's defaults, TF32 included on Ampere and newer GPUs, so CUDA
    /// features differ from CPU ones at about 1e-3; NVIDIA_TF32_OVERRIDE=0 in the environment forces strict fp32.
    /// </summary>
    internal static void AppendCuda(SessionOptions sessionOptions, int deviceId) => sessionOptions.AppendExecutionProvider_CUDA(deviceId);

    /// <summary>
    /// ONNX Runtime reports a provider that fails to load only as "Failed to load shared library"; by then it has loaded
    /// the provider bridge, so loading the provider once more here yields the dynamic loader's actual reason.
    /// </summary>
    private static string WithLoaderReason(string runtimeError)
    {
        var provider = Path.Combine(OnnxRuntimeLibraries.CoreDirectory, OnnxRuntimeLibraries.CudaProviderFileName);
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(provider));
            return runtimeError;
        }
        catch (DllNotFoundException loaderError)
        {
            return $"{runtimeError} ({loaderError.Message})";
        }
    }

    private static InferenceSession CreateSession(string modelPath, FeatureExtractorOptions options, bool cuda)
    {
        // ORT copies the options into the session, so they can go once it exists.
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Warnings such as "some nodes were not assigned to CUDA" are expected for this graph; errors still show.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (options.IntraOpThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        }

        if (cuda)
        {
            AppendCuda(sessionOptions, options.CudaDeviceId);
        }

        return new InferenceSession(modelPath, sessionOptions);
    }
}
