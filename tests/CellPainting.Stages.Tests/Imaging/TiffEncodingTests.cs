using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tests.Imaging;

public sealed class TiffEncodingTests
{
    [TestCase(TiffCompression.None)]
    [TestCase(TiffCompression.PackBits)]
    public void Rejects_the_horizontal_predictor_without_lzw_or_deflate(TiffCompression compression)
    {
        Assert.That(() => new TiffEncoding(compression, true, 8, 0), Throws.ArgumentException.With.Message.Contains("LZW or Deflate"));
    }

    [TestCase(8)]
    [TestCase(20)]
    [TestCase(-16)]
    public void Rejects_tile_sizes_that_are_not_positive_multiples_of_16(int tileSize)
    {
        Assert.That(() => new TiffEncoding(TiffCompression.Lzw, false, 0, tileSize), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Rejects_strips_without_a_positive_row_count(int rowsPerStrip)
    {
        Assert.That(() => new TiffEncoding(TiffCompression.Lzw, false, rowsPerStrip, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Rejects_a_strip_height_for_a_tiled_image_instead_of_ignoring_it()
    {
        Assert.That(() => new TiffEncoding(TiffCompression.Lzw, false, 8, 64), Throws.ArgumentException.With.Message.Contains("RowsPerStrip"));
    }

    [Test]
    public void Rejects_a_compression_code_the_encoder_does_not_write()
    {
        Assert.That(() => new TiffEncoding((TiffCompression)7, false, 8, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Is_tiled_exactly_when_a_tile_size_is_given()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new TiffEncoding(TiffCompression.Deflate, true, 0, 256).IsTiled, Is.True);
            Assert.That(new TiffEncoding(TiffCompression.Deflate, true, 16, 0).IsTiled, Is.False);
        }
    }
}
