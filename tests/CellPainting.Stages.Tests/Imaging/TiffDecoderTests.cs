using System.Buffers.Binary;
using CellPainting.Stages.Imaging;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Imaging;

public sealed class TiffDecoderTests
{
    private const int Width = 203;
    private const int Height = 150;

    [TestCase("""{"tile": [64, 64]}""", TestName = "Decodes_uncompressed_square_tiles_written_by_tifffile")]
    [TestCase("""{"tile": [32, 48]}""", TestName = "Decodes_uncompressed_oblong_tiles_written_by_tifffile")]
    [TestCase("""{"byteorder": ">", "rowsperstrip": 7}""", TestName = "Decodes_big_endian_uncompressed_strips_written_by_tifffile")]
    [TestCase("""{"compression": "zlib", "predictor": true, "rowsperstrip": 5}""", TestName = "Decodes_deflate_with_predictor_written_by_tifffile")]
    [TestCase("""{"byteorder": ">", "compression": "zlib", "predictor": true, "rowsperstrip": 16}""", TestName = "Decodes_big_endian_deflate_with_predictor_written_by_tifffile")]
    [TestCase("""{"byteorder": ">", "tile": [64, 64], "compression": "zlib", "predictor": true}""", TestName = "Decodes_big_endian_deflate_tiles_with_predictor_written_by_tifffile")]
    [TestCase("""{"compression": 32946, "rowsperstrip": 9}""", TestName = "Decodes_deflate_under_the_old_code_32946_written_by_tifffile")]
    [TestCase("""{"compression": "packbits", "rowsperstrip": 10}""", TestName = "Decodes_packbits_written_by_tifffile")]
    [TestCase("""{"byteorder": ">", "tile": [32, 32], "compression": "packbits"}""", TestName = "Decodes_big_endian_packbits_tiles_written_by_tifffile")]
    [TestCase("""{"compression": "lzw", "rowsperstrip": 150}""", TestName = "Decodes_lzw_in_one_strip_long_enough_to_reset_the_code_table_written_by_tifffile")]
    [TestCase("""{"byteorder": ">", "compression": "lzw", "predictor": true, "rowsperstrip": 12}""", TestName = "Decodes_big_endian_lzw_with_predictor_written_by_tifffile")]
    [TestCase("""{"tile": [48, 64], "compression": "lzw", "predictor": true}""", TestName = "Decodes_lzw_tiles_with_predictor_written_by_tifffile")]
    public void Decodes_files_written_by_tifffile_to_the_same_pixels(string options)
    {
        using var directory = new TempDirectory();
        string path = directory.PathOf("tifffile.tif");
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 11);
        Tifffile.Write(image, path, options);

        ImageAssert.SamePixels(TiffDecoder.DecodeFile(path), image);
    }

    [Test]
    public void Decodes_only_the_first_page_of_a_multi_page_file()
    {
        using var directory = new TempDirectory();
        string path = directory.PathOf("two-pages.tif");
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 12);
        Tifffile.Write(image, path, """{"pages": 2}""");

        ImageAssert.SamePixels(TiffDecoder.DecodeFile(path), image);
    }

    [TestCase("""{"dtype": "uint8"}""", "8-bit", TestName = "Rejects_8_bit_images")]
    [TestCase("""{"samples": 3, "photometric": "rgb"}""", "3 samples per pixel", TestName = "Rejects_RGB_images")]
    [TestCase("""{"dtype": "float32"}""", "floating-point", TestName = "Rejects_floating_point_images")]
    [TestCase("""{"dtype": "int16"}""", "signed", TestName = "Rejects_signed_16_bit_images")]
    [TestCase("""{"photometric": "miniswhite"}""", "MinIsWhite", TestName = "Rejects_MinIsWhite_images")]
    [TestCase("""{"compression": "lzma"}""", "compression 34925 is not supported", TestName = "Rejects_compressions_other_than_none_LZW_Deflate_and_PackBits")]
    public void Rejects_files_that_are_not_unsigned_16_bit_grayscale_naming_the_file_and_the_problem(string options, string problem)
    {
        using var directory = new TempDirectory();
        string path = directory.PathOf("unsupported.tif");
        Tifffile.Write(SyntheticImages.Create(Width, Height, seed: 13), path, options);

        AssertRejected(() => TiffDecoder.DecodeFile(path), path, problem);
    }

    [Test]
    public void Rejects_a_file_whose_pixel_data_is_cut_short()
    {
        byte[] cut = TifffileStripsCutInHalf(seed: 14);

        AssertRejected(() => TiffDecoder.Decode(cut, "cut.tif"), "cut.tif", "could not be decoded");
    }

    [TestCase(false, 8, false)]
    [TestCase(true, 8, false)]
    [TestCase(true, 7, true)]
    [TestCase(false, Height, true)]
    public void Lzw_strips_decode_to_the_pixels_libtiff_alone_gives(bool predictor, int rowsPerStrip, bool bigEndian)
    {
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 23);
        byte[] bytes = TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.Lzw, predictor, rowsPerStrip, 0, bigEndian));

        Gray16Image ours = TiffDecoder.Decode(bytes, "lzw.tif");

        ImageAssert.SamePixels(ours, TiffDecoder.DecodeWithLibTiffOnly(bytes, "lzw.tif"));
        ImageAssert.SamePixels(ours, image);
    }

    [Test]
    public void Decodes_into_a_pooled_array_over_whatever_an_earlier_image_left_there()
    {
        Gray16Image image = SyntheticImages.Create(Width, Height, seed: 18);
        byte[] bytes = TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.Lzw, true, 8, 0));
        var pool = new PixelPool(capacity: 1);
        ushort[] used = pool.Rent(Width * Height);
        Array.Fill(used, (ushort)0xBEEF);
        pool.Return(used);

        Gray16Image decoded = TiffDecoder.Decode(bytes, "pooled.tif", pool);

        Assert.That(decoded.Pixels, Is.SameAs(used));
        ImageAssert.SamePixels(decoded, image);
    }

    [Test]
    public void A_file_that_fails_to_decode_hands_its_pooled_array_back()
    {
        byte[] cut = TifffileStripsCutInHalf(seed: 19);
        var pool = new PixelPool(capacity: 1);
        ushort[] array = pool.Rent(Width * Height);
        pool.Return(array);

        var thrown = Assert.Throws<TiffFormatException>(() => TiffDecoder.Decode(cut, "cut.tif", pool));

        Assert.That(thrown!.Message, Does.Contain("could not be decoded"), "the array was rented, then a strip failed");
        Assert.That(pool.Rent(Width * Height), Is.SameAs(array));
    }

    [TestCase(TiffCompression.None)]
    [TestCase(TiffCompression.Lzw)]
    [TestCase(TiffCompression.Deflate)]
    [TestCase(TiffCompression.PackBits)]
    public void Rejects_a_file_cut_in_half(TiffCompression compression)
    {
        byte[] bytes = TiffEncoder.Encode(SyntheticImages.Create(Width, Height, seed: 15), new TiffEncoding(compression, false, 8, 0));

        AssertRejected(() => TiffDecoder.Decode(bytes.AsSpan(0, bytes.Length / 2), "half.tif"), "half.tif", "not a readable TIFF");
    }

    [Test]
    public void Rejects_a_file_libtiff_reports_an_error_for_even_when_the_pixels_still_decode()
    {
        byte[] bytes = TiffEncoder.Encode(SyntheticImages.Create(Width, Height, seed: 17), new TiffEncoding(TiffCompression.None, false, 8, 0));

        // Turn the last directory entry, SampleFormat (339) = 1, into ResolutionUnit (296) = 99: the entries stay sorted and
        // SampleFormat falls back to its default of unsigned, but libtiff reports the unknown unit as an error and carries on.
        int directory = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(directory));
        int last = directory + 2 + ((entries - 1) * 12);
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(last)), Is.EqualTo(339), "the fixture's last tag should be SampleFormat");
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(last), 296);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(last + 8), 99);

        AssertRejected(() => TiffDecoder.Decode(bytes, "odd-unit.tif"), "odd-unit.tif", "Bad value 99 for \"ResolutionUnit\" tag");
    }

    [Test]
    public void Rejects_a_zero_byte_file()
    {
        AssertRejected(() => TiffDecoder.Decode([], "empty.tif"), "empty.tif", "empty (0 bytes)");
    }

    [Test]
    public void Rejects_a_file_that_is_only_a_header_without_an_image_directory()
    {
        AssertRejected(() => TiffDecoder.Decode("II*\0\0\0\0\0"u8, "header-only.tif"), "header-only.tif", "first image directory");
    }

    [Test]
    public void Rejects_random_bytes_with_libtiffs_own_explanation()
    {
        var bytes = new byte[4096];
        new Random(16).NextBytes(bytes);
        bytes[0] = 0x42;
        bytes[1] = 0x13;

        AssertRejected(() => TiffDecoder.Decode(bytes, "noise.bin"), "noise.bin", "Not a TIFF or MDI file, bad magic number 4930");
    }

    [Test]
    public void DecodeFile_names_the_path_when_the_file_is_not_a_tiff()
    {
        using var directory = new TempDirectory();
        string path = directory.PathOf("notes.txt");
        File.WriteAllText(path, "this is not an image");

        AssertRejected(() => TiffDecoder.DecodeFile(path), path, "not a readable TIFF");
    }

    [Test]
    public void Decodes_many_buffers_on_many_threads_without_mixing_pixels_or_errors()
    {
        TiffEncoding[] encodings =
        [
            new(TiffCompression.Lzw, true, 8, 0),
            new(TiffCompression.Deflate, true, 0, 32),
            new(TiffCompression.PackBits, false, 5, 0, bigEndian: true),
            new(TiffCompression.None, false, 0, 16),
            new(TiffCompression.Lzw, false, 0, 48, bigEndian: true),
            new(TiffCompression.Deflate, false, 33, 0),
        ];
        Gray16Image[] images = [.. encodings.Select((_, i) => SyntheticImages.Create(Width - i, Height + i, seed: 100 + i))];
        byte[][] files = [.. encodings.Select((encoding, i) => TiffEncoder.Encode(images[i], encoding))];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 240, new ParallelOptions { MaxDegreeOfParallelism = 8 }, iteration =>
        {
            int which = iteration % (files.Length + 1);
            if (which == files.Length)
            {
                // Garbage whose magic number encodes the iteration: its error must describe this buffer, not a neighbour's.
                byte[] garbage = [(byte)iteration, (byte)(iteration >> 8), 1, 2, 3, 4, 5, 6];
                string name = $"garbage-{iteration}.bin";
                string? error = ErrorFrom(garbage, name);
                if (error is null || !error.StartsWith(name + ":", StringComparison.Ordinal)
                    || !error.Contains($"bad magic number {(ushort)iteration}", StringComparison.Ordinal))
                {
                    failures.Add($"{name} did not get its own error: {error ?? "no error at all"}");
                }

                return;
            }

            Gray16Image decoded = TiffDecoder.Decode(files[which], $"image-{which}.tif");
            if (decoded.Width != images[which].Width || !decoded.Pixels.AsSpan().SequenceEqual(images[which].Pixels))
            {
                failures.Add($"iteration {iteration}: image-{which}.tif decoded to different pixels");
            }
        });

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Requires_a_file_name_for_its_error_messages()
    {
        Assert.That(() => TiffDecoder.Decode([1, 2], null!), Throws.ArgumentNullException);
    }

    private static string? ErrorFrom(byte[] data, string fileName)
    {
        try
        {
            TiffDecoder.Decode(data, fileName);
            return null;
        }
        catch (TiffFormatException exception)
        {
            return exception.Message;
        }
    }

    private static void AssertRejected(TestDelegate decode, string fileName, string problem)
    {
        TiffFormatException exception = Assert.Throws<TiffFormatException>(decode);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.FileName, Is.EqualTo(fileName));
            Assert.That(exception.Message, Does.StartWith(fileName + ": ").And.Contain(problem));
        }
    }

    /// <summary>
    /// The first half of a file tifffile wrote in strips of 10 rows: tifffile writes the directory before the pixels, so
    /// the cut leaves a valid directory pointing past the end.
    /// </summary>
    private static byte[] TifffileStripsCutInHalf(int seed)
    {
        using var directory = new TempDirectory();
        string path = directory.PathOf("tifffile.tif");
        Tifffile.Write(SyntheticImages.Create(Width, Height, seed), path, """{"rowsperstrip": 10}""");
        byte[] bytes = File.ReadAllBytes(path);
        return bytes[..(bytes.Length / 2)];
    }
}
