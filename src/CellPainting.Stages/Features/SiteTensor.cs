namespace CellPainting.Stages.Features;

/// <summary>
/// One site's resized image stack: float32 (5, S, S) in channel order 1..5, row-major, values already divided by the
/// dtype maximum (uint16 / 65535) and resized to S x S. This is what the decode/resize side hands to the features.
/// </summary>
public sealed class SiteTensor
{
    /// <summary>Cell Painting channels per site (channels 1..5; brightfield is not used).</summary>
    public const int Channels = 5;

    /// <summary>Wraps a site's pixels; the memory is read, never copied or changed.</summary>
    /// <exception cref="ArgumentException">The id is empty, S is not positive, or the length is not 5 * S * S.</exception>
    public SiteTensor(string siteId, ReadOnlyMemory<float> pixels, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(siteId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (pixels.Length != (long)Channels * size * size)
        {
            throw new ArgumentException(
                $"Site {siteId}: expected {Channels} x {size} x {size} = {(long)Channels * size * size} floats, got {pixels.Length}.",
                nameof(pixels));
        }

        SiteId = siteId;
        Pixels = pixels;
        Size = size;
    }

    /// <summary>Caller-chosen key returned with the features (for example <c>BARCODE/r01c01f01</c>).</summary>
    public string SiteId { get; }

    /// <summary>The (5, S, S) float32 values.</summary>
    public ReadOnlyMemory<float> Pixels { get; }

    /// <summary>Height and width S.</summary>
    public int Size { get; }
}
