using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class FeatureSessionFactoryTests
{
    [SetUp]
    public void RequireAMachineWithoutCuda()
    {
        if (OnnxRuntimeLibraries.CanLoad("libcuda.so.1"))
        {
            Assert.Ignore("An NVIDIA driver is installed here; these tests cover machines without one.");
        }
    }

    [Test]
    public void When_onnx_runtime_cannot_load_the_cuda_provider_the_error_carries_the_loaders_reason()
    {
        // Pretend the probe found everything, so ONNX Runtime itself tries to load the provider and fails.
        var options = TinyDinov3Reference.Instance.Options(ExecutionProvider.Cuda, batchSize: 1);

        Assert.That(
            () => FeatureSessionFactory.Create(TinyDinov3Reference.Instance.ModelPath, options, missingForCuda: []),
            Throws.TypeOf<CudaUnavailableException>()
                .With.Property(nameof(CudaUnavailableException.RuntimeError)).Contains("Failed to load shared library")
                .And.Property(nameof(CudaUnavailableException.RuntimeError)).Contains("cannot open shared object file"));
    }

    [Test]
    public void When_onnx_runtime_cannot_load_the_cuda_provider_auto_runs_on_the_cpu()
    {
        var options = TinyDinov3Reference.Instance.Options(ExecutionProvider.Auto, batchSize: 1);

        var (session, provider, message) = FeatureSessionFactory.Create(TinyDinov3Reference.Instance.ModelPath, options, missingForCuda: []);
        session.Dispose();

        Assert.That(provider, Is.EqualTo(ExecutionProvider.Cpu));
        Assert.That(message, Does.Contain("ONNX Runtime could not start it").And.Contain("running on CPU."));
    }
}
