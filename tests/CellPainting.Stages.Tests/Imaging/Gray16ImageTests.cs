using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tests.Imaging;

public sealed class Gray16ImageTests
{
    [Test]
    public void Keeps_the_given_pixel_array_so_stages_can_work_in_place()
    {
        var pixels = new ushort[6];

        var image = new Gray16Image(3, 2, pixels);

        Assert.That(image.Pixels, Is.SameAs(pixels));
    }

    [Test]
    public void Rejects_a_pixel_array_that_does_not_hold_width_times_height_samples()
    {
        Assert.That(() => new Gray16Image(3, 2, new ushort[5]), Throws.ArgumentException.With.Message.Contains("3x2"));
    }

    [TestCase(0, 2)]
    [TestCase(2, 0)]
    [TestCase(-1, 2)]
    public void Rejects_dimensions_that_are_not_positive(int width, int height)
    {
        Assert.That(() => new Gray16Image(width, height, []), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
