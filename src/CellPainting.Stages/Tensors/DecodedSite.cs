using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tensors;

/// <summary>
/// A site's decoded channel images, shared by the stages building the site together; disposed with the item's
/// scratch (or by the loader when a channel fails), which hands their pixel arrays back to the pool they came from.
/// </summary>
public sealed class DecodedSite : IDisposable
{
    private readonly PixelPool pool;
    private List<Gray16Image>? channels = [];

    public DecodedSite(PixelPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        this.pool = pool;
    }

    /// <summary>The images in channel order, as added; not to be used once disposed.</summary>
    public IReadOnlyList<Gray16Image> Channels => channels ?? throw new ObjectDisposedException(nameof(DecodedSite));

    /// <summary>Adds the next channel's image, whose pixels came from the pool.</summary>
    public void Add(Gray16Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        (channels ?? throw new ObjectDisposedException(nameof(DecodedSite))).Add(image);
    }

    public void Dispose()
    {
        foreach (Gray16Image image in Interlocked.Exchange(ref channels, null) ?? [])
        {
            pool.Return(image.Pixels);
        }
    }
}
