using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tests.Imaging;

public sealed class PixelPoolTests
{
    [Test]
    public void An_array_handed_back_is_rented_again_for_the_same_length()
    {
        var pool = new PixelPool(capacity: 2);
        ushort[] first = pool.Rent(100);

        pool.Return(first);

        Assert.That(pool.Rent(100), Is.SameAs(first));
    }

    [Test]
    public void Another_length_gets_an_array_of_exactly_that_length()
    {
        var pool = new PixelPool(capacity: 2);
        pool.Return(pool.Rent(100));

        Assert.That(pool.Rent(99), Has.Length.EqualTo(99));
    }

    [Test]
    public void Arrays_beyond_the_capacity_are_left_to_the_collector()
    {
        var pool = new PixelPool(capacity: 1);
        ushort[] kept = pool.Rent(10);
        ushort[] dropped = pool.Rent(10);

        pool.Return(kept);
        pool.Return(dropped);

        Assert.Multiple(() =>
        {
            Assert.That(pool.Rent(10), Is.SameAs(kept));
            Assert.That(pool.Rent(10), Is.Not.SameAs(dropped));
        });
    }
}
