using System.Runtime.InteropServices;

namespace CellPainting.Stages.Features;

/// <summary>
/// Finds out, before ONNX Runtime tries, which pieces the CUDA execution provider needs are missing, so the error
/// names all of them instead of the first dlopen failure. The provider of ONNX Runtime 1.31's NuGet GPU package is
/// built against CUDA 13.x (any 13.x minor) and cuDNN 9.x; the sonames below are its ELF dependencies and the cuDNN it
/// opens at run time.
/// </summary>
internal static class CudaProbe
{
    /// <summary>Shared objects the CUDA provider links or loads, with what installs them.</summary>
    internal static readonly IReadOnlyList<(string Soname, string Description)> RequiredLibraries =
    [
        ("libcuda.so.1", "NVIDIA driver (R580 or newer for CUDA 13)"),
        ("libcudart.so.13", "CUDA 13 runtime"),
        ("libcublas.so.13", "cuBLAS from CUDA 13"),
        ("libcublasLt.so.13", "cuBLASLt from CUDA 13"),
        ("libcurand.so.10", "cuRAND from CUDA 13"),
        ("libcudnn.so.9", "cuDNN 9"),
    ];

    /// <summary>
    /// Everything missing for CUDA, each as "what (file)", in the order a person would install them; empty when all
    /// pieces load. <paramref name="canLoad"/> answers whether the dynamic loader finds a soname.
    /// </summary>
    internal static IReadOnlyList<string> FindMissing(string coreDirectory, Func<string, bool> canLoad)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return [$"Linux x64 (the CUDA libraries are checked and loaded on linux-x64 only; this is {RuntimeInformation.RuntimeIdentifier})"];
        }

        var missing = new List<string>();
        foreach (var (soname, description) in RequiredLibraries)
        {
            if (!canLoad(soname))
            {
                missing.Add($"{description} ({soname})");
            }
        }

        if (!File.Exists(Path.Combine(coreDirectory, OnnxRuntimeLibraries.SharedProviderFileName)))
        {
            missing.Add($"ONNX Runtime provider bridge ({OnnxRuntimeLibraries.SharedProviderFileName} beside {OnnxRuntimeLibraries.CoreFileName} in {coreDirectory})");
        }

        if (!File.Exists(Path.Combine(coreDirectory, OnnxRuntimeLibraries.CudaProviderFileName)))
        {
            missing.Add($"ONNX Runtime CUDA provider ({OnnxRuntimeLibraries.CudaProviderFileName} beside {OnnxRuntimeLibraries.CoreFileName} in {coreDirectory}; "
                + "the Microsoft.ML.OnnxRuntime.Gpu.Linux package puts it there: rebuild the solution)");
        }

        return missing;
    }
}
