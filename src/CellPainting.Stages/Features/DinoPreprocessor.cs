using System.Numerics;

namespace CellPainting.Stages.Features;

/// <summary>
/// The reference <c>prepare_channels_for_dino</c> + <c>_preprocess_batch</c>: each of a site's 5 channels becomes an
/// RGB image of 3 identical planes, normalised per plane as <c>(x - mean) / std</c> with the ImageNet constants in
/// float32, batched site-major (site0 ch1..ch5, site1 ch1..ch5, ...) as NCHW (N * 5, 3, S, S).
/// </summary>
internal static class DinoPreprocessor
{
    /// <summary>ImageNet mean, rounded to float32 exactly as <c>torch.tensor(processor.image_mean)</c>.</summary>
    internal static ReadOnlySpan<float> Mean => [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet standard deviation, float32.</summary>
    internal static ReadOnlySpan<float> Std => [0.229f, 0.224f, 0.225f];

    /// <summary>Number of floats the batch of <paramref name="sites"/> sites at size S occupies.</summary>
    internal static long BatchLength(int sites, int size) => (long)sites * SiteTensor.Channels * 3 * size * size;

    /// <summary>Writes the normalised batch for <paramref name="sites"/> (all of one size) into <paramref name="destination"/>.</summary>
    internal static void Preprocess(IReadOnlyList<SiteTensor> sites, Span<float> destination)
    {
        var size = sites[0].Size;
        var plane = size * size;
        if (destination.Length < BatchLength(sites.Count, size))
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats, the batch needs {BatchLength(sites.Count, size)}.", nameof(destination));
        }

        for (var i = 0; i < sites.Count; i++)
        {
            if (sites[i].Size != size)
            {
                throw new ArgumentException($"Site {sites[i].SiteId} is {sites[i].Size} px, but the batch is {size} px: one batch holds one size.", nameof(sites));
            }

            var pixels = sites[i].Pixels.Span;
            for (var channel = 0; channel < SiteTensor.Channels; channel++)
            {
                var source = pixels.Slice(channel * plane, plane);
                for (var rgb = 0; rgb < 3; rgb++)
                {
                    var offset = ((i * SiteTensor.Channels + channel) * 3 + rgb) * plane;
                    Normalise(source, Mean[rgb], Std[rgb], destination.Slice(offset, plane));
                }
            }
        }
    }

    // True subtraction then true division, element by element (vector division is IEEE division, not a reciprocal
    // multiply), so every value is bit-identical to PyTorch's float32 CPU result.
    private static void Normalise(ReadOnlySpan<float> source, float mean, float std, Span<float> destination)
    {
        var meanVector = new Vector<float>(mean);
        var stdVector = new Vector<float>(std);
        var i = 0;
        for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            ((new Vector<float>(source[i..]) - meanVector) / stdVector).CopyTo(destination[i..]);
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (source[i] - mean) / std;
        }
    }
}
