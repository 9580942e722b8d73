using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tests.Imaging;

internal static class ImageAssert
{
    public static void SamePixels(Gray16Image actual, Gray16Image expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That((actual.Width, actual.Height), Is.EqualTo((expected.Width, expected.Height)));
            Assert.That(actual.Pixels, Is.EqualTo(expected.Pixels));
        }
    }
}
