using CellPainting.Stages.Imaging;
using CellPainting.Stages.Tensors;

namespace CellPainting.Stages.Tests.Tensors;

public sealed class DecodedSiteTests
{
    [Test]
    public void Disposing_hands_each_channels_pixels_back_to_the_pool_once()
    {
        var pool = new PixelPool(capacity: 4);
        var site = new DecodedSite(pool);
        site.Add(new Gray16Image(2, 2, pool.Rent(4)));
        site.Add(new Gray16Image(2, 2, pool.Rent(4)));
        ushort[][] pixels = site.Channels.Select(channel => channel.Pixels).ToArray();

        site.Dispose();
        site.Dispose();

        ushort[][] rented = [pool.Rent(4), pool.Rent(4), pool.Rent(4)];
        Assert.That(rented.Count(array => pixels.Contains(array)), Is.EqualTo(2));
    }

    [Test]
    public void Channels_are_kept_in_the_order_they_are_added()
    {
        var site = new DecodedSite(new PixelPool(capacity: 1));
        var first = new Gray16Image(1, 1, [1]);
        var second = new Gray16Image(1, 1, [2]);

        site.Add(first);
        site.Add(second);

        Assert.That(site.Channels, Is.EqualTo(new[] { first, second }));
    }

    [Test]
    public void A_disposed_site_has_no_channels_to_read_nor_room_for_more()
    {
        var site = new DecodedSite(new PixelPool(capacity: 1));
        site.Add(new Gray16Image(1, 1, [7]));

        site.Dispose();

        Assert.Multiple(() =>
        {
            Assert.Throws<ObjectDisposedException>(() => _ = site.Channels);
            Assert.Throws<ObjectDisposedException>(() => site.Add(new Gray16Image(1, 1, [8])));
        });
    }
}
