using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tensors;

/// <summary>
/// A site's decoded channel images, shared by the stages building the site together; disposed with the item's
/// scratch, which hands their pixel arrays back to the pool they came from.
/// </summary>
public sealed class DecodedSite : IDisposable
{
    private readonly PixelPool pool;
    private List<Gray16Image>? channels;

    /// <param name="channels">Filled by the loader as it decodes, so a failure part way hands back what was decoded.</param>
    public DecodedSite(List<Gray16Image> channels, PixelPool pool)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(pool);
        this.channels = channels;
        this.pool = pool;
    }

    /// <summary>The images in channel order; not to be used once disposed.</summary>
    public IReadOnlyList<Gray16Image> Channels => channels ?? throw new ObjectDisposedException(nameof(DecodedSite));

    public void Dispose()
    {
        foreach (Gray16Image image in Interlocked.Exchange(ref channels, null) ?? [])
        {
            pool.Return(image.Pixels);
        }
    }
}
