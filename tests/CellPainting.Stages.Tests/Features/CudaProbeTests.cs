using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class CudaProbeTests
{
    private DirectoryInfo core = null!;

    [SetUp]
    public void CreateCoreDirectory()
    {
        core = Directory.CreateTempSubdirectory("cp-core-");
        File.WriteAllBytes(Path.Combine(core.FullName, OnnxRuntimeLibraries.SharedProviderFileName), [1]);
        File.WriteAllBytes(Path.Combine(core.FullName, OnnxRuntimeLibraries.CudaProviderFileName), [2]);
    }

    [TearDown]
    public void DeleteCoreDirectory() => core.Delete(recursive: true);

    [Test]
    public void Every_cuda_library_the_loader_cannot_find_is_named()
    {
        var missing = CudaProbe.FindMissing(core.FullName, _ => false);

        Assert.That(missing, Has.Count.EqualTo(6));
        Assert.That(
            string.Join("\n", missing),
            Does.Contain("NVIDIA driver").And.Contain("libcuda.so.1").And.Contain("libcudart.so.13").And.Contain("libcublas.so.13")
                .And.Contain("libcublasLt.so.13").And.Contain("libcurand.so.10").And.Contain("cuDNN 9 (libcudnn.so.9)"));
    }

    [Test]
    public void Only_the_libraries_that_do_not_load_are_named()
    {
        var missing = CudaProbe.FindMissing(core.FullName, soname => soname != "libcudnn.so.9");

        Assert.That(missing, Is.EqualTo(new[] { "cuDNN 9 (libcudnn.so.9)" }));
    }

    [Test]
    public void Nothing_is_missing_when_every_piece_is_there()
    {
        Assert.That(CudaProbe.FindMissing(core.FullName, _ => true), Is.Empty);
    }

    [Test]
    public void A_missing_provider_bridge_is_named()
    {
        File.Delete(Path.Combine(core.FullName, OnnxRuntimeLibraries.SharedProviderFileName));

        var missing = CudaProbe.FindMissing(core.FullName, _ => true);

        Assert.That(missing, Has.One.Contains(OnnxRuntimeLibraries.SharedProviderFileName));
    }

    [Test]
    public void A_missing_cuda_provider_is_named_with_the_package_that_brings_it()
    {
        File.Delete(Path.Combine(core.FullName, OnnxRuntimeLibraries.CudaProviderFileName));

        var missing = CudaProbe.FindMissing(core.FullName, _ => true);

        Assert.That(missing, Has.One.Contains(OnnxRuntimeLibraries.CudaProviderFileName).And.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux"));
    }
}
