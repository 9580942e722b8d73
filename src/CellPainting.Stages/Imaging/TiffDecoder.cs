using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// Reads the first image of a 16-bit grayscale TIFF (uncompressed, LZW, Deflate or PackBits; with or without the
/// horizontal predictor; strips or tiles; either byte order) through the system libtiff. Anything else, and any
/// damaged file, raises <see cref="TiffFormatException"/>. Safe to call concurrently.
/// </summary>
public static class TiffDecoder
{
    private const ushort CompressionNone = 1;
    private const ushort CompressionLzw = 5;
    private const ushort CompressionAdobeDeflate = 8;
    private const ushort CompressionDeflate = 32946;
    private const ushort CompressionPackBits = 32773;

    // Bounds the scratch buffer a hostile TileWidth/TileLength could demand (real tiles are a few hundred KiB).
    private const long MaxTileBytes = 1L << 28;

    /// <summary>Reads and decodes the file at <paramref name="path"/>; errors name the path.</summary>
    public static Gray16Image DecodeFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Decodes TIFF bytes already in memory; <paramref name="fileName"/> is only used in error messages. The pixels come
    /// from <paramref name="pool"/> when given (the caller hands them back), else from a new array.
    /// </summary>
    public static Gray16Image Decode(ReadOnlySpan<byte> data, string fileName, PixelPool? pool = null) =>
        Decode(data, fileName, pool, ownLzw: true);

    /// <summary>
    /// As <see cref="Decode(ReadOnlySpan{byte}, string, PixelPool?)"/> with every strip decoded by libtiff, LZW ones
    /// included: what libtiff alone gives, to compare <see cref="LzwDecoder"/> with (tests, bench/tiff).
    /// </summary>
    internal static Gray16Image DecodeWithLibTiffOnly(ReadOnlySpan<byte> data, string fileName) =>
        Decode(data, fileName, pool: null, ownLzw: false);

    private static unsafe Gray16Image Decode(ReadOnlySpan<byte> data, string fileName, PixelPool? pool, bool ownLzw)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (data.IsEmpty)
        {
            throw new TiffFormatException(fileName, "the file is empty (0 bytes), not a TIFF image.");
        }

        using var log = new TiffMessageLog();
        fixed (byte* bytes = data)
        {
            var stream = TiffClientStream.ForReading(bytes, data.Length);
            nint tiff = LibTiff.Open(&stream, fileName, "r", log);
            if (tiff == 0)
            {
                throw new TiffFormatException(
                    fileName, $"not a readable TIFF file: libtiff could not read its header and first image directory ({log.Describe()}).");
            }

            try
            {
                Gray16Image image = ReadFirstImage(tiff, data, fileName, log, pool, ownLzw);

                // libtiff signals failures through return values too, but an error it reported and then
                // tolerated would still cast doubt on the pixels, so it is not ignored.
                if (log.HasErrors)
                {
                    pool?.Return(image.Pixels);
                    throw new TiffFormatException(fileName, $"libtiff reported errors while decoding ({log.Describe()}).");
                }

                return image;
            }
            finally
            {
                LibTiff.TIFFClose(tiff);
            }
        }
    }

    private static unsafe Gray16Image ReadFirstImage(nint tiff, ReadOnlySpan<byte> data, string fileName, TiffMessageLog log, PixelPool? pool, bool ownLzw)
    {
        uint width;
        uint height;
        if (LibTiff.GetFieldUInt32(tiff, LibTiff.ImageWidth, &width) == 0 || LibTiff.GetFieldUInt32(tiff, LibTiff.ImageLength, &height) == 0)
        {
            throw new TiffFormatException(fileName, "the TIFF has no ImageWidth/ImageLength.");
        }

        if (width == 0 || height == 0 || (ulong)width * height > (ulong)Array.MaxLength)
        {
            throw new TiffFormatException(fileName, $"unsupported image size {width}x{height}.");
        }

        (ushort compression, ushort predictor) = RequireGray16(tiff, fileName);

        int length = (int)(width * height);
        ushort[] pixels = pool?.Rent(length) ?? GC.AllocateUninitializedArray<ushort>(length);
        try
        {
            if (LibTiff.TIFFIsTiled(tiff) != 0)
            {
                ReadTiles(tiff, fileName, log, (int)width, (int)height, pixels);
            }
            else
            {
                ReadStrips(tiff, data, fileName, log, (int)width, (int)height, pixels, ownLzw && compression == CompressionLzw, predictor == 2);
            }
        }
        catch
        {
            pool?.Return(pixels);
            throw;
        }

        return new Gray16Image((int)width, (int)height, pixels);
    }

    /// <summary>
    /// Rejects every layout but one unsigned 16-bit MinIsBlack sample per pixel in a supported compression; returns
    /// the compression and the predictor (1, none, for the codecs that have no Predictor tag).
    /// </summary>
    private static unsafe (ushort Compression, ushort Predictor) RequireGray16(nint tiff, string fileName)
    {
        ushort samplesPerPixel = DefaultedUInt16(tiff, LibTiff.SamplesPerPixel);
        ushort sampleFormat = DefaultedUInt16(tiff, LibTiff.SampleFormat);
        ushort bitsPerSample = DefaultedUInt16(tiff, LibTiff.BitsPerSample);
        ushort planarConfig = DefaultedUInt16(tiff, LibTiff.PlanarConfig);
        ushort compression = DefaultedUInt16(tiff, LibTiff.Compression);

        const string Expected = "only single-channel unsigned 16-bit grayscale (MinIsBlack) is supported";
        if (samplesPerPixel != 1)
        {
            throw new TiffFormatException(fileName, $"the image has {samplesPerPixel} samples per pixel (e.g. RGB); {Expected}.");
        }

        if (sampleFormat == 2)
        {
            throw new TiffFormatException(fileName, $"the samples are signed integers (SampleFormat 2); {Expected}.");
        }

        if (sampleFormat == 3)
        {
            throw new TiffFormatException(fileName, $"the samples are floating-point (SampleFormat 3); {Expected}.");
        }

        if (sampleFormat != 1)
        {
            throw new TiffFormatException(fileName, $"SampleFormat {sampleFormat} is not supported; {Expected}.");
        }

        if (bitsPerSample != 16)
        {
            throw new TiffFormatException(fileName, $"the image is {bitsPerSample}-bit; {Expected}.");
        }

        ushort photometric;
        if (LibTiff.GetFieldUInt16(tiff, LibTiff.Photometric, &photometric) == 0)
        {
            throw new TiffFormatException(fileName, $"the TIFF has no PhotometricInterpretation tag; {Expected}.");
        }

        if (photometric == 0)
        {
            throw new TiffFormatException(fileName, $"the image is MinIsWhite (inverted grayscale); {Expected}.");
        }

        if (photometric != 1)
        {
            throw new TiffFormatException(fileName, $"PhotometricInterpretation {photometric} is not supported; {Expected}.");
        }

        if (planarConfig != 1)
        {
            throw new TiffFormatException(fileName, $"PlanarConfiguration {planarConfig} is not supported; only contiguous (1) is.");
        }

        if (compression is not (CompressionNone or CompressionLzw or CompressionAdobeDeflate or CompressionDeflate or CompressionPackBits))
        {
            throw new TiffFormatException(
                fileName,
                $"compression {compression} is not supported; only none (1), LZW (5), Deflate (8, 32946) and PackBits (32773) are.");
        }

        // The Predictor tag exists only for the LZW and Deflate codecs; libtiff undoes predictor 2 itself.
        if (compression is not (CompressionLzw or CompressionAdobeDeflate or CompressionDeflate))
        {
            return (compression, 1);
        }

        ushort predictor = DefaultedUInt16(tiff, LibTiff.Predictor);
        return predictor is 1 or 2
            ? (compression, predictor)
            : throw new TiffFormatException(fileName, $"predictor {predictor} is not supported; only none (1) and horizontal (2) are.");
    }

    /// <summary>
    /// Decodes each strip straight into its rows of the output. LZW strips (when <paramref name="lzwStrips"/>) go
    /// through <see cref="LzwDecoder"/>, which leaves the byte order and predictor to <see cref="FinishLzwStrip"/>;
    /// any strip it declines, and every other codec, libtiff decodes (byte-swapping and undoing the predictor itself).
    /// </summary>
    private static unsafe void ReadStrips(nint tiff, ReadOnlySpan<byte> data, string fileName, TiffMessageLog log, int width, int height, ushort[] pixels, bool lzwStrips, bool predictor)
    {
        uint rowsPerStrip = 0;
        LibTiff.GetFieldDefaultedUInt32(tiff, LibTiff.RowsPerStrip, &rowsPerStrip);
        int stripRows = (int)Math.Min(rowsPerStrip, (uint)height);
        if (stripRows == 0)
        {
            throw new TiffFormatException(fileName, "RowsPerStrip is 0.");
        }

        uint strips = LibTiff.TIFFNumberOfStrips(tiff);
        uint expectedStrips = (uint)((height + stripRows - 1) / stripRows);
        if (strips != expectedStrips)
        {
            throw new TiffFormatException(fileName, $"the file has {strips} strips where {expectedStrips} of {stripRows} rows were expected.");
        }

        bool lzw = lzwStrips && DefaultedUInt16(tiff, LibTiff.FillOrder) == 1;
        bool swapped = LibTiff.TIFFIsByteSwapped(tiff) != 0;
        fixed (ushort* output = pixels)
        {
            for (uint strip = 0; strip < strips; strip++)
            {
                int firstRow = (int)strip * stripRows;
                int rows = Math.Min(stripRows, height - firstRow);
                Span<ushort> samples = pixels.AsSpan(firstRow * width, rows * width);
                if (lzw && RawStrip(tiff, data, strip) is { } raw && LzwDecoder.TryDecode(data.Slice(raw.Offset, raw.Length), MemoryMarshal.AsBytes(samples)))
                {
                    FinishLzwStrip(samples, width, swapped, predictor);
                    continue;
                }

                nint bytes = (nint)rows * width * sizeof(ushort);
                nint decoded = LibTiff.TIFFReadEncodedStrip(tiff, strip, output + ((long)firstRow * width), bytes);
                if (decoded != bytes)
                {
                    throw new TiffFormatException(
                        fileName, $"strip {strip} could not be decoded ({decoded} of {bytes} bytes; {log.Describe()}).");
                }
            }
        }
    }

    /// <summary>Where strip <paramref name="strip"/>'s encoded bytes lie in the file, if they lie inside it.</summary>
    private static (int Offset, int Length)? RawStrip(nint tiff, ReadOnlySpan<byte> data, uint strip)
    {
        ulong offset = LibTiff.TIFFGetStrileOffset(tiff, strip);
        ulong length = LibTiff.TIFFGetStrileByteCount(tiff, strip);
        return offset <= (ulong)data.Length && length <= (ulong)data.Length - offset ? ((int)offset, (int)length) : null;
    }

    /// <summary>What libtiff does after decoding an LZW strip: samples into the machine's byte order, then the horizontal predictor undone row by row.</summary>
    // Undoes the predictor over every sample: compiled optimised at once, like the decoder.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FinishLzwStrip(Span<ushort> samples, int width, bool swapped, bool predictor)
    {
        if (swapped)
        {
            BinaryPrimitives.ReverseEndianness(samples, samples);
        }

        if (predictor)
        {
            for (int start = 0; start < samples.Length; start += width)
            {
                Span<ushort> row = samples.Slice(start, width);
                for (int index = 1; index < row.Length; index++)
                {
                    row[index] += row[index - 1];
                }
            }
        }
    }

    /// <summary>Decodes each tile into one scratch buffer and copies the part inside the image; edge tiles are padded in the file.</summary>
    private static unsafe void ReadTiles(nint tiff, string fileName, TiffMessageLog log, int width, int height, ushort[] pixels)
    {
        uint tileWidth;
        uint tileLength;
        if (LibTiff.GetFieldUInt32(tiff, LibTiff.TileWidth, &tileWidth) == 0 || LibTiff.GetFieldUInt32(tiff, LibTiff.TileLength, &tileLength) == 0
            || tileWidth == 0 || tileLength == 0)
        {
            throw new TiffFormatException(fileName, "the tiled TIFF has no valid TileWidth/TileLength.");
        }

        long tileBytes = (long)tileWidth * tileLength * sizeof(ushort);
        if (tileBytes > MaxTileBytes)
        {
            throw new TiffFormatException(fileName, $"tiles of {tileWidth}x{tileLength} pixels are too large.");
        }

        if (LibTiff.TIFFTileSize(tiff) != tileBytes)
        {
            throw new TiffFormatException(fileName, $"unexpected tile size {LibTiff.TIFFTileSize(tiff)} bytes for {tileWidth}x{tileLength} 16-bit tiles ({log.Describe()}).");
        }

        ushort* tile = (ushort*)NativeMemory.Alloc((nuint)tileBytes);
        try
        {
            for (int top = 0; top < height; top += (int)tileLength)
            {
                int rows = Math.Min((int)tileLength, height - top);
                for (int left = 0; left < width; left += (int)tileWidth)
                {
                    uint index = LibTiff.TIFFComputeTile(tiff, (uint)left, (uint)top, 0, 0);
                    nint decoded = LibTiff.TIFFReadEncodedTile(tiff, index, tile, (nint)tileBytes);
                    if (decoded != tileBytes)
                    {
                        throw new TiffFormatException(
                            fileName, $"tile {index} could not be decoded ({decoded} of {tileBytes} bytes; {log.Describe()}).");
                    }

                    int columns = Math.Min((int)tileWidth, width - left);
                    for (int row = 0; row < rows; row++)
                    {
                        new ReadOnlySpan<ushort>(tile + ((long)row * tileWidth), columns)
                            .CopyTo(pixels.AsSpan(((top + row) * width) + left, columns));
                    }
                }
            }
        }
        finally
        {
            NativeMemory.Free(tile);
        }
    }

    /// <summary>The tag's value or the TIFF default; 0 (rejected by every check) if libtiff knows neither.</summary>
    private static unsafe ushort DefaultedUInt16(nint tiff, uint tag)
    {
        ushort value = 0;
        LibTiff.GetFieldDefaultedUInt16(tiff, tag, &value);
        return value;
    }
}
