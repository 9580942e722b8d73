using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class DinoPreprocessorTests
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    [Test]
    public void Preprocessing_the_reference_sites_is_bit_identical_to_PyTorch()
    {
        var reference = TinyDinov3Reference.Instance;
        var sites = reference.BuildSites(reference.Sites);
        var batch = new float[DinoPreprocessor.BatchLength(sites.Count, reference.Size)];

        DinoPreprocessor.Preprocess(sites, batch);

        var digest = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(batch.AsSpan())));
        Assert.That(digest, Is.EqualTo(reference.PreprocessedSha256));
    }

    [Test]
    public void Each_channel_becomes_three_normalised_planes_in_site_major_order()
    {
        // 3 x 3 planes: 9 values exercise both the vector loop and its scalar tail.
        const int size = 3;
        const int plane = size * size;
        var sites = Enumerable.Range(0, 2)
            .Select(site => new SiteTensor(
                $"s{site}",
                Enumerable.Range(0, SiteTensor.Channels * plane).Select(j => (site * 100 + j) / 255f).ToArray(),
                size))
            .ToArray();
        var batch = new float[DinoPreprocessor.BatchLength(sites.Length, size)];

        DinoPreprocessor.Preprocess(sites, batch);

        for (var site = 0; site < sites.Length; site++)
        {
            for (var channel = 0; channel < SiteTensor.Channels; channel++)
            {
                for (var rgb = 0; rgb < 3; rgb++)
                {
                    for (var j = 0; j < plane; j++)
                    {
                        var source = sites[site].Pixels.Span[channel * plane + j];
                        var actual = batch[((site * SiteTensor.Channels + channel) * 3 + rgb) * plane + j];
                        Assert.That(actual, Is.EqualTo((source - ImageNetMean[rgb]) / ImageNetStd[rgb]), $"site {site} channel {channel + 1} plane {rgb} pixel {j}");
                    }
                }
            }
        }
    }

    [Test]
    public void A_batch_of_two_sizes_is_rejected()
    {
        SiteTensor[] sites = [new("a", new float[5 * 4], 2), new("b", new float[5 * 9], 3)];
        var batch = new float[DinoPreprocessor.BatchLength(2, 3)];

        Assert.That(() => DinoPreprocessor.Preprocess(sites, batch), Throws.ArgumentException.With.Message.Contains("one size"));
    }
}
