using CellPainting.Stages.Imaging;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Imaging;

public sealed class TiffEncoderTests
{
    // Neither dimension is a multiple of the strip heights or tile sizes, so short last strips and padded edge tiles are exercised.
    private const int Width = 203;
    private const int Height = 150;

    private static readonly (TiffCompression Compression, bool Predictor)[] Codecs =
    [
        (TiffCompression.None, false),
        (TiffCompression.PackBits, false),
        (TiffCompression.Lzw, false),
        (TiffCompression.Lzw, true),
        (TiffCompression.Deflate, false),
        (TiffCompression.Deflate, true),
    ];

    private static IEnumerable<TestCaseData> EveryCodecAndLayout() =>
        from codec in Codecs
        from layout in new[] { (Rows: 1, Tile: 0), (Rows: 7, Tile: 0), (Rows: Height, Tile: 0), (Rows: 0, Tile: 16), (Rows: 0, Tile: 64) }
        select new TestCaseData(new TiffEncoding(codec.Compression, codec.Predictor, layout.Rows, layout.Tile));

    private static IEnumerable<TestCaseData> EveryCodecBigEndian() =>
        from codec in Codecs
        from tile in new[] { 0, 32 }
        select new TestCaseData(new TiffEncoding(codec.Compression, codec.Predictor, tile == 0 ? 9 : 0, tile, bigEndian: true));

    private static IEnumerable<TestCaseData> ForTifffile() =>
        from codec in Codecs
        from layout in new[] { (Rows: 7, Tile: 0, BigEndian: false), (Rows: 0, Tile: 48, BigEndian: false), (Rows: Height, Tile: 0, BigEndian: true) }
        select new TestCaseData(new TiffEncoding(codec.Compression, codec.Predictor, layout.Rows, layout.Tile, layout.BigEndian));

    [TestCaseSource(nameof(EveryCodecAndLayout))]
    public void Decodes_what_it_encoded_to_the_same_pixels(TiffEncoding encoding)
    {
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 1);

        Gray16Image decoded = TiffDecoder.Decode(TiffEncoder.Encode(image, encoding), "round-trip.tif");

        ImageAssert.SamePixels(decoded, image);
    }

    [TestCaseSource(nameof(EveryCodecBigEndian))]
    public void Writes_big_endian_files_whose_16_bit_samples_libtiff_swaps_back(TiffEncoding encoding)
    {
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 2);

        byte[] bytes = TiffEncoder.Encode(image, encoding);

        Assert.That(bytes[..4], Is.EqualTo("MM\0*"u8.ToArray()));
        ImageAssert.SamePixels(TiffDecoder.Decode(bytes, "big-endian.tif"), image);
    }

    [Test]
    public void Writes_little_endian_files_by_default()
    {
        byte[] bytes = TiffEncoder.Encode(SyntheticImages.Create(32, 32, seed: 3), new TiffEncoding(TiffCompression.None, false, 32, 0));

        Assert.That(bytes[..4], Is.EqualTo("II*\0"u8.ToArray()));
    }

    [Test]
    public void Stores_uncompressed_big_endian_samples_high_byte_first()
    {
        var image = new Gray16Image(2, 1, [0x1234, 0xABCD]);

        byte[] bytes = TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.None, false, 1, 0, bigEndian: true));

        Assert.That(IndexOf(bytes, [0x12, 0x34, 0xAB, 0xCD]), Is.Not.Negative, "the raw strip should hold the samples in Motorola order");
    }

    [TestCaseSource(nameof(EveryCodecAndLayout))]
    public void Encoding_the_same_image_twice_gives_identical_bytes(TiffEncoding encoding)
    {
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 4);
        byte[] first = TiffEncoder.Encode(image, encoding);

        byte[] second = TiffEncoder.Encode(image, encoding);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Leaves_the_source_pixels_untouched_although_libtiff_applies_the_predictor_in_place()
    {
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 5);
        ushort[] original = (ushort[])image.Pixels.Clone();

        TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.Lzw, true, 10, 0, bigEndian: true));

        Assert.That(image.Pixels, Is.EqualTo(original));
    }

    [Test]
    public void Writes_a_file_that_DecodeFile_reads_back()
    {
        using var directory = new TempDirectory();
        string path = directory.PathOf("written.tif");
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 6);
        var encoding = new TiffEncoding(TiffCompression.Deflate, true, 0, 32);

        TiffEncoder.Write(path, image, encoding);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(TiffEncoder.Encode(image, encoding)));
            ImageAssert.SamePixels(TiffDecoder.DecodeFile(path), image);
        }
    }

    [TestCaseSource(nameof(ForTifffile))]
    public void Writes_files_that_tifffile_reads_to_the_same_pixels_with_exactly_the_requested_tags(TiffEncoding encoding)
    {
        Tifffile.RequireInstalled();
        using var directory = new TempDirectory();
        string path = directory.PathOf("ours.tif");
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 7);
        TiffEncoder.Write(path, image, encoding);

        (ushort[] pixels, TifffilePage page) = Tifffile.Read(path);

        int[] layoutTags = encoding.IsTiled ? [322, 323, 324, 325] : [273, 278, 279];
        int[] predictorTag = encoding.HorizontalPredictor ? [317] : [];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pixels, Is.EqualTo(image.Pixels));
            Assert.That(page.DType, Is.EqualTo("uint16"));
            Assert.That(page.Shape, Is.EqualTo(new[] { Height, Width }));
            Assert.That(page.Pages, Is.EqualTo(1));
            Assert.That(page.ByteOrder, Is.EqualTo(encoding.BigEndian ? ">" : "<"));
            Assert.That(page.Compression, Is.EqualTo((int)encoding.Compression));
            Assert.That(page.Predictor, Is.EqualTo(encoding.HorizontalPredictor ? 2 : 1));
            Assert.That(page.Tiled, Is.EqualTo(encoding.IsTiled));
            if (encoding.IsTiled)
            {
                Assert.That((page.TileWidth, page.TileLength), Is.EqualTo((encoding.TileSize, encoding.TileSize)));
            }
            else
            {
                Assert.That(page.RowsPerStrip, Is.EqualTo(encoding.RowsPerStrip));
            }

            // No DateTime (306) or Software (305) tag: they would make the bytes differ between runs.
            Assert.That(
                page.Tags,
                Is.EquivalentTo(new[] { 256, 257, 258, 259, 262, 277, 284, 339 }.Concat(layoutTags).Concat(predictorTag)));
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
