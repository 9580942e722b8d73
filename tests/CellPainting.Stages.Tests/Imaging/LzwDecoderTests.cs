using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tests.Imaging;

public sealed class LzwDecoderTests
{
    private const int Width = 1080;
    private const int Rows = 40;

    [Test]
    public void Decodes_a_strip_libtiff_wrote_from_noise_that_clears_the_table_many_times()
    {
        var random = new Random(21);
        var pixels = new ushort[Width * Rows];
        for (int index = 0; index < pixels.Length; index++)
        {
            pixels[index] = (ushort)random.Next(ushort.MaxValue + 1);
        }

        AssertDecodesLibtiffsStrip(new Gray16Image(Width, Rows, pixels));
    }

    [Test]
    public void Decodes_a_strip_libtiff_wrote_from_a_flat_image_whose_strings_are_long_and_used_as_they_are_defined()
    {
        var pixels = new ushort[Width * Rows];
        Array.Fill(pixels, (ushort)0x0707);

        AssertDecodesLibtiffsStrip(new Gray16Image(Width, Rows, pixels));
    }

    [Test]
    public void Decodes_a_strip_libtiff_wrote_from_a_microscope_like_image()
    {
        AssertDecodesLibtiffsStrip(SyntheticImages.Create(Width, Rows, seed: 22));
    }

    [Test]
    public void Stops_when_the_output_is_full()
    {
        Gray16Image image = SyntheticImages.Create(Width, Rows, seed: 23);
        byte[] expected = MemoryMarshal.AsBytes(image.Pixels.AsSpan()).ToArray();
        var output = new byte[1001];

        Assert.That(LzwDecoder.TryDecode(LibtiffStrip(image), output), Is.True);

        Assert.That(output, Is.EqualTo(expected[..1001]));
    }

    [Test]
    public void Declines_a_strip_that_ends_before_the_output_is_full()
    {
        Gray16Image image = SyntheticImages.Create(Width, Rows, seed: 24);
        byte[] strip = LibtiffStrip(image);

        Assert.That(LzwDecoder.TryDecode(strip.AsSpan(0, strip.Length / 2), new byte[Width * Rows * 2]), Is.False);
    }

    [Test]
    public void Declines_old_style_lzw_which_starts_without_a_clear_code()
    {
        Assert.That(LzwDecoder.TryDecode([0x00, 0x01, 0x02, 0x03], new byte[16]), Is.False);
    }

    [Test]
    public void Declines_a_code_that_is_not_in_the_table_yet()
    {
        // 9-bit codes: clear (256), 'A' (65), then 300 while the next free code is 258.
        byte[] strip = Pack9BitCodes(256, 65, 300, 257);

        Assert.That(LzwDecoder.TryDecode(strip, new byte[16]), Is.False);
    }

    [Test]
    public void Declines_an_end_code_before_the_output_is_full()
    {
        byte[] strip = Pack9BitCodes(256, 65, 66, 257);

        Assert.That(LzwDecoder.TryDecode(strip, new byte[3]), Is.False);
    }

    [Test]
    public void Decodes_the_code_being_defined_as_the_previous_string_and_its_first_byte()
    {
        // 'A', then 258 (= "AA", defined by this very use): "AAA".
        byte[] strip = Pack9BitCodes(256, 65, 258, 257);
        var output = new byte[3];

        Assert.That(LzwDecoder.TryDecode(strip, output), Is.True);

        Assert.That(output, Is.EqualTo("AAA"u8.ToArray()));
    }

    private static void AssertDecodesLibtiffsStrip(Gray16Image image)
    {
        var output = new byte[image.Pixels.Length * sizeof(ushort)];

        Assert.That(LzwDecoder.TryDecode(LibtiffStrip(image), output), Is.True);

        Assert.That(output, Is.EqualTo(MemoryMarshal.AsBytes(image.Pixels.AsSpan()).ToArray()));
    }

    /// <summary>The one LZW strip of a little-endian file libtiff wrote: right after the 8-byte header, up to the directory.</summary>
    private static byte[] LibtiffStrip(Gray16Image image)
    {
        byte[] file = TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.Lzw, false, image.Height, 0));
        int directory = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(4));
        return file[8..directory];
    }

    private static byte[] Pack9BitCodes(params int[] codes)
    {
        var bytes = new byte[((codes.Length * 9) + 7) / 8];
        for (int index = 0; index < codes.Length; index++)
        {
            for (int bit = 0; bit < 9; bit++)
            {
                if ((codes[index] & (1 << (8 - bit))) != 0)
                {
                    int position = (index * 9) + bit;
                    bytes[position / 8] |= (byte)(0x80 >> (position % 8));
                }
            }
        }

        return bytes;
    }
}
