namespace CellPainting.Stages.LibTorch.Tests;

/// <summary>Makes TorchSharp's native wrapper loadable on Debian 12 (see <see cref="WeakLibStdCxxVersion"/>) before any test touches torch.</summary>
[SetUpFixture]
public sealed class LibTorchSetUp
{
    [OneTimeSetUp]
    public void MakeTheWrapperLoadable()
    {
        string wrapper = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.That(File.Exists(wrapper), Is.True, $"{wrapper} is missing: the TorchSharp package did not restore for linux-x64.");
        Assert.That(WeakLibStdCxxVersion.Apply(wrapper), Is.True, $"{wrapper} no longer requires GLIBCXX_3.4.32: drop {nameof(WeakLibStdCxxVersion)}.");
    }
}
