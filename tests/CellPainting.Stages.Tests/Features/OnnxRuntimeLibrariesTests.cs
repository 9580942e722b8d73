using CellPainting.Stages.Features;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Features;

public sealed class OnnxRuntimeLibrariesTests
{
    [Test]
    public void The_build_puts_the_core_library_the_provider_bridge_and_the_cuda_provider_in_one_folder()
    {
        var core = OnnxRuntimeLibraries.CoreDirectory;

        Assert.That(
            new[] { OnnxRuntimeLibraries.CoreFileName, OnnxRuntimeLibraries.SharedProviderFileName, OnnxRuntimeLibraries.CudaProviderFileName }
                .Select(name => File.Exists(Path.Combine(core, name))),
            Is.All.True,
            core);
    }

    [Test]
    public void The_core_library_is_looked_for_beside_the_assembly_first()
    {
        using var output = new TempDirectory();
        File.WriteAllBytes(output.PathOf(OnnxRuntimeLibraries.CoreFileName), [0x7F]);

        Assert.That(OnnxRuntimeLibraries.FindCoreDirectory(output.Root), Is.EqualTo(output.Root));
    }

    [Test]
    public void Without_a_core_library_beside_the_assembly_it_is_looked_for_in_the_native_asset_folder()
    {
        using var output = new TempDirectory();

        Assert.That(
            OnnxRuntimeLibraries.FindCoreDirectory(output.Root),
            Is.EqualTo(output.PathOf("runtimes", "linux-x64", "native")));
    }
}
