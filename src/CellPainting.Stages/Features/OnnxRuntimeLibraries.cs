using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace CellPainting.Stages.Features;

/// <summary>
/// Where the ONNX Runtime native libraries live. They come from the Microsoft.ML.OnnxRuntime.Gpu.Linux package, which
/// the build copies to <c>runtimes/linux-x64/native/</c> under the output folder (the managed package's resolver loads
/// the core library from there when no deps.json names it, as under Cake). ONNX Runtime loads its execution providers
/// from the directory of the core library, so the CUDA provider must be there too; the package puts it there.
/// </summary>
internal static class OnnxRuntimeLibraries
{
    internal const string CoreFileName = "libonnxruntime.so";
    internal const string SharedProviderFileName = "libonnxruntime_providers_shared.so";
    internal const string CudaProviderFileName = "libonnxruntime_providers_cuda.so";

    /// <summary>Where a NuGet build puts the native assets for this platform, relative to the output folder.</summary>
    internal static readonly string NativeAssetDirectory = Path.Combine("runtimes", "linux-x64", "native");

    /// <summary>
    /// The directory holding the core library: beside the ONNX Runtime managed assembly, or in the output's
    /// <see cref="NativeAssetDirectory"/> (where NuGet builds put it).
    /// </summary>
    internal static string CoreDirectory => FindCoreDirectory(
        Path.GetDirectoryName(typeof(InferenceSession).Assembly.Location)
        ?? throw new InvalidOperationException("The ONNX Runtime assembly has no file location (single-file publish is not supported)."));

    /// <summary>The first of <paramref name="outputDirectory"/> and its native asset folder that holds the core library, else the latter.</summary>
    internal static string FindCoreDirectory(string outputDirectory)
    {
        var native = Path.Combine(outputDirectory, NativeAssetDirectory);
        return File.Exists(Path.Combine(outputDirectory, CoreFileName)) ? outputDirectory : native;
    }

    /// <summary>Whether the dynamic loader finds <paramref name="soname"/> (LD_LIBRARY_PATH, ld.so.cache, system dirs).</summary>
    internal static bool CanLoad(string soname)
    {
        if (!NativeLibrary.TryLoad(soname, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
