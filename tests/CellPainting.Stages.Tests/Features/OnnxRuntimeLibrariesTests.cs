using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class OnnxRuntimeLibrariesTests
{
    private DirectoryInfo root = null!;

    [SetUp]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("cp-ort-");

    [TearDown]
    public void DeleteRoot() => root.Delete(recursive: true);

    [Test]
    public void The_cuda_provider_is_linked_beside_the_core_library_from_its_directory()
    {
        var core = root.CreateSubdirectory("bin");
        var provider = CreateProvider(root.CreateSubdirectory("provider").FullName);

        var problem = OnnxRuntimeLibraries.EnsureCudaProvider(core.FullName, Path.GetDirectoryName(provider));

        var link = new FileInfo(Path.Combine(core.FullName, OnnxRuntimeLibraries.CudaProviderFileName));
        Assert.That((problem, link.LinkTarget), Is.EqualTo(((string?)null, provider)));
    }

    [Test]
    public void The_cuda_provider_is_found_in_node_modules_above_the_core_library()
    {
        var core = root.CreateSubdirectory("artifacts/bin/app/release");
        var provider = CreateProvider(Path.Combine(root.FullName, OnnxRuntimeLibraries.GpuPackageDirectory));

        var problem = OnnxRuntimeLibraries.EnsureCudaProvider(core.FullName, null);

        var link = new FileInfo(Path.Combine(core.FullName, OnnxRuntimeLibraries.CudaProviderFileName));
        Assert.That((problem, link.LinkTarget), Is.EqualTo(((string?)null, provider)));
    }

    [Test]
    public void A_dangling_provider_link_is_replaced()
    {
        var core = root.CreateSubdirectory("bin");
        var linkPath = Path.Combine(core.FullName, OnnxRuntimeLibraries.CudaProviderFileName);
        File.CreateSymbolicLink(linkPath, Path.Combine(root.FullName, "removed", OnnxRuntimeLibraries.CudaProviderFileName));
        var provider = CreateProvider(root.CreateSubdirectory("provider").FullName);

        var problem = OnnxRuntimeLibraries.EnsureCudaProvider(core.FullName, Path.GetDirectoryName(provider));

        Assert.That((problem, new FileInfo(linkPath).LinkTarget), Is.EqualTo(((string?)null, provider)));
    }

    [Test]
    public void Without_a_provider_anywhere_the_problem_names_the_file_and_the_npm_command()
    {
        var core = root.CreateSubdirectory("bin");

        var problem = OnnxRuntimeLibraries.EnsureCudaProvider(core.FullName, root.CreateSubdirectory("empty").FullName);

        Assert.That(problem, Does.Contain(OnnxRuntimeLibraries.CudaProviderFileName).And.Contain("npm ci"));
    }

    [Test]
    public void The_build_puts_the_core_library_and_the_provider_bridge_beside_the_onnx_runtime_assembly()
    {
        var core = OnnxRuntimeLibraries.CoreDirectory;

        Assert.That(
            new[] { OnnxRuntimeLibraries.CoreFileName, OnnxRuntimeLibraries.SharedProviderFileName }.Select(name => File.Exists(Path.Combine(core, name))),
            Is.All.True);
    }

    private static string CreateProvider(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, OnnxRuntimeLibraries.CudaProviderFileName);
        File.WriteAllBytes(path, [0x7F, (byte)'E', (byte)'L', (byte)'F']);
        return path;
    }
}
