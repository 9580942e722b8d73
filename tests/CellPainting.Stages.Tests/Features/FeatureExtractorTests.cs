using System.Security.Cryptography;
using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class FeatureExtractorTests
{
    private const float Tolerance = 1e-4f;

    private static TinyDinov3Reference Reference => TinyDinov3Reference.Instance;

    [Test]
    public void The_committed_model_is_the_one_its_reference_outputs_were_computed_with()
    {
        using var model = File.OpenRead(Reference.ModelPath);

        Assert.That(Convert.ToHexStringLower(SHA256.HashData(model)), Is.EqualTo(Reference.ModelSha256));
    }

    [Test]
    public void Features_of_the_tiny_model_match_the_PyTorch_reference_within_1e_4()
    {
        using var extractor = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 2));

        var features = extractor.Extract(Reference.BuildSites(Reference.Sites)).ToList();

        Assert.That(features.Select(site => site.SiteId), Is.EqualTo(Enumerable.Range(0, Reference.Sites).Select(i => $"site{i}")));
        for (var site = 0; site < features.Count; site++)
        {
            for (var channel = 0; channel < SiteTensor.Channels; channel++)
            {
                var row = features[site].Values.AsSpan(channel * extractor.FeatureWidth, extractor.FeatureWidth).ToArray();
                Assert.That(row, Is.EqualTo(Reference.PoolerOutput[site * SiteTensor.Channels + channel]).Within(Tolerance), $"site {site} channel {channel + 1}");
            }
        }
    }

    [Test]
    public void A_site_has_identical_features_in_a_full_batch_and_in_a_tail_batch()
    {
        var sites = Reference.BuildSites(3);
        using var wholeBatch = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 3));
        using var pairs = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 2));

        var inFullBatch = wholeBatch.ExtractBatch(sites);
        var withTail = pairs.Extract(sites).ToList();
        var aloneFirst = pairs.ExtractBatch([sites[0]]);

        Assert.That(pairs.Timings.Batches, Is.EqualTo(3), "3 sites at batch size 2 are a full batch and a tail, then one more tail");
        Assert.That(withTail.Select(site => site.Values), Is.EqualTo(inFullBatch.Select(site => site.Values)), "bit-identical, not merely close");
        Assert.That(aloneFirst[0].Values, Is.EqualTo(inFullBatch[0].Values));
    }

    [Test]
    public void Each_site_gets_its_own_five_by_D_array()
    {
        using var extractor = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 2));

        var features = extractor.ExtractBatch(Reference.BuildSites(2));

        Assert.That(features.Select(site => site.Shape), Is.All.EqualTo(new long[] { 5, 64 }));
        Assert.That(features.Select(site => site.Values.Length), Is.All.EqualTo(5 * 64));
        Assert.That(features[0].Values, Is.Not.SameAs(features[1].Values));
    }

    [Test]
    public void The_extractor_reads_the_input_size_and_feature_width_from_the_model()
    {
        using var extractor = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 4));

        Assert.That((extractor.ImageSize, extractor.FeatureWidth, extractor.BatchSize), Is.EqualTo(((int?)Reference.Size, 64, 4)));
    }

    [Test]
    public void Sites_of_another_size_than_the_export_are_rejected()
    {
        using var extractor = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 2));
        var site = new SiteTensor("small", new float[5 * 32 * 32], 32);

        Assert.That(() => extractor.ExtractBatch([site]), Throws.ArgumentException.With.Message.Contains("exported for 64 x 64"));
    }

    [Test]
    public void More_sites_than_the_batch_size_in_one_batch_are_rejected()
    {
        using var extractor = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 1));

        Assert.That(() => extractor.ExtractBatch(Reference.BuildSites(2)), Throws.ArgumentException.With.Message.Contains("at most 1 sites"));
    }

    [Test]
    public void A_model_without_the_configured_output_is_an_error_naming_the_outputs_it_has()
    {
        var options = Reference.Options(ExecutionProvider.Cpu, batchSize: 1) with { OutputName = "last_hidden_state" };

        Assert.That(
            () => FeatureExtractor.Open(options),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("no output named 'last_hidden_state'").And.Message.Contains("pooler_output"));
    }

    [Test]
    public void A_model_without_the_configured_input_is_an_error_naming_the_inputs_it_has()
    {
        var options = Reference.Options(ExecutionProvider.Cpu, batchSize: 1) with { InputName = "images" };

        Assert.That(
            () => FeatureExtractor.Open(options),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'images'").And.Message.Contains("pixel_values"));
    }

    [Test]
    public void Provider_cpu_runs_on_the_cpu_without_a_message()
    {
        using var extractor = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 1));

        Assert.That((extractor.Provider, extractor.ProviderMessage), Is.EqualTo((ExecutionProvider.Cpu, (string?)null)));
    }

    [Test]
    public void Provider_cuda_without_an_nvidia_driver_is_an_error_naming_what_is_missing()
    {
        IgnoreWhenNvidiaDriverPresent();

        Assert.That(
            () => FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cuda, batchSize: 1)),
            Throws.TypeOf<CudaUnavailableException>().With.Message.Contains("NVIDIA driver").And.Message.Contains("libcuda.so.1")
                .And.Message.Contains("set the features provider to cpu"));
    }

    [Test]
    public void Provider_auto_without_an_nvidia_driver_falls_back_to_the_cpu_with_one_line_saying_why()
    {
        IgnoreWhenNvidiaDriverPresent();

        using var extractor = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Auto, batchSize: 1));

        Assert.That(extractor.Provider, Is.EqualTo(ExecutionProvider.Cpu));
        Assert.That(extractor.ProviderMessage, Does.StartWith("Features: CUDA unavailable").And.Contain("libcuda.so.1").And.EndWith("running on CPU.").And.Not.Contain('\n'));
    }

    [Test]
    public void On_a_cuda_machine_cuda_features_agree_with_cpu_features()
    {
        var sites = Reference.BuildSites(Reference.Sites);
        FeatureExtractor gpu;
        try
        {
            gpu = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cuda, batchSize: 2));
        }
        catch (CudaUnavailableException error)
        {
            Assert.Ignore($"No CUDA here: {error.Message}");
            return;
        }

        using (gpu)
        using (var cpu = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 2)))
        {
            var onGpu = gpu.Extract(sites).ToList();
            var onCpu = cpu.Extract(sites).ToList();

            Assert.That(gpu.Provider, Is.EqualTo(ExecutionProvider.Cuda));
            for (var site = 0; site < sites.Count; site++)
            {
                for (var channel = 0; channel < SiteTensor.Channels; channel++)
                {
                    // ORT's CUDA defaults allow TF32 (10-bit mantissa) matmuls: close in direction, not bit-equal.
                    var gpuRow = onGpu[site].Values.AsSpan(channel * gpu.FeatureWidth, gpu.FeatureWidth);
                    var cpuRow = onCpu[site].Values.AsSpan(channel * cpu.FeatureWidth, cpu.FeatureWidth);
                    Assert.That(CosineSimilarity(gpuRow, cpuRow), Is.GreaterThanOrEqualTo(0.9999), $"site {site} channel {channel + 1}");
                    Assert.That(gpuRow.ToArray(), Is.EqualTo(cpuRow.ToArray()).Within(1e-2f), $"site {site} channel {channel + 1}");
                }
            }
        }
    }

    private static double CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(normA * normB);
    }

    private static void IgnoreWhenNvidiaDriverPresent()
    {
        if (OnnxRuntimeLibraries.CanLoad("libcuda.so.1"))
        {
            Assert.Ignore("An NVIDIA driver is installed here; this test covers machines without one.");
        }
    }
}
