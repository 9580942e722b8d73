using CellPainting.Stages.Imaging;
using CellPainting.Stages.Tensors;

namespace CellPainting.Stages.Tests.Tensors;

public sealed class DecodedSiteTests
{
    [Test]
    public void Disposing_hands_each_channels_pixels_back_to_the_pool_once()
    {
        var pool = new PixelPool(capacity: 4);
        var channels = new List<Gray16Image> { new(2, 2, pool.Rent(4)), new(2, 2, pool.Rent(4)) };
        var site = new DecodedSite(channels, pool);
        ushort[][] pixels = channels.Select(channel => channel.Pixels).ToArray();

        site.Dispose();
        site.Dispose();

        ushort[][] rented = [pool.Rent(4), pool.Rent(4), pool.Rent(4)];
        Assert.That(rented.Count(array => pixels.Contains(array)), Is.EqualTo(2));
    }

    [Test]
    public void A_disposed_site_has_no_channels_to_read()
    {
        var site = new DecodedSite([new Gray16Image(1, 1, [7])], new PixelPool(capacity: 1));

        site.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _ = site.Channels);
    }
}
