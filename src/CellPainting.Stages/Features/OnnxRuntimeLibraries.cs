using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace CellPainting.Stages.Features;

/// <summary>
/// Where the ONNX Runtime native libraries live. The build copies libonnxruntime.so (+ the shared provider bridge)
/// beside the CellPainting.OnnxRuntime assembly and the package's DllImportResolver loads it from there. ONNX Runtime
/// loads execution providers from the directory of the core library, so the CUDA provider must appear there too.
/// </summary>
internal static class OnnxRuntimeLibraries
{
    internal const string CoreFileName = "libonnxruntime.so";
    internal const string SharedProviderFileName = "libonnxruntime_providers_shared.so";
    internal const string CudaProviderFileName = "libonnxruntime_providers_cuda.so";

    /// <summary>The npm package with the CUDA provider, relative to a folder holding node_modules.</summary>
    internal static readonly string GpuPackageDirectory =
        Path.Combine("node_modules", "com.github.asus4.onnxruntime.linux-x64-gpu", "Plugins", "Linux", "x64");

    /// <summary>The directory the core library is loaded from: beside the ONNX Runtime managed assembly.</summary>
    internal static string CoreDirectory =>
        Path.GetDirectoryName(typeof(InferenceSession).Assembly.Location)
        ?? throw new InvalidOperationException("The ONNX Runtime assembly has no file location (single-file publish is not supported).");

    /// <summary>The first node_modules GPU package found in <paramref name="start"/> or one of its parents, or null.</summary>
    internal static string? FindGpuPackage(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, GpuPackageDirectory);
            if (File.Exists(Path.Combine(candidate, CudaProviderFileName)))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Makes the CUDA provider appear beside the core library, linking it from <paramref name="providerDirectory"/>
    /// (or the npm GPU package above <paramref name="coreDirectory"/>) at load time rather than copying its ~230 MB
    /// into every build output. Returns null when it is in place, else what is missing and how to get it.
    /// </summary>
    internal static string? EnsureCudaProvider(string coreDirectory, string? providerDirectory)
    {
        var link = Path.Combine(coreDirectory, CudaProviderFileName);
        var existing = new FileInfo(link);
        if (existing.Exists && (existing.LinkTarget is null || existing.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true }))
        {
            return null;
        }

        var sourceDirectory = providerDirectory ?? FindGpuPackage(coreDirectory);
        var source = sourceDirectory is null ? null : Path.Combine(sourceDirectory, CudaProviderFileName);
        if (source is null || !File.Exists(source))
        {
            var searched = providerDirectory ?? $"{GpuPackageDirectory} above {coreDirectory}";
            return $"ONNX Runtime CUDA provider {CudaProviderFileName} (not beside {Path.Combine(coreDirectory, CoreFileName)} nor in {searched}; "
                + "run `npm ci` at the repository root without --omit=optional, or copy it beside the core library)";
        }

        try
        {
            // A link still here is dangling (the package was removed or moved since): replace it.
            if (existing.LinkTarget is not null)
            {
                existing.Delete();
            }

            File.CreateSymbolicLink(link, Path.GetFullPath(source));
        }
        catch (IOException) when (File.Exists(link))
        {
            // Another process linked it first.
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return $"ONNX Runtime CUDA provider beside the core library (cannot link {link} -> {source}: {error.Message})";
        }

        return null;
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
