using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// Writes 16-bit grayscale TIFFs through the system libtiff. The output depends only on the image and the
/// encoding (no DateTime or Software tag, explicit byte order), so repeated runs produce identical bytes.
/// </summary>
public static class TiffEncoder
{
    private const ushort PhotometricMinIsBlack = 1;
    private const ushort PlanarConfigContiguous = 1;
    private const ushort SampleFormatUnsigned = 1;
    private const ushort PredictorHorizontal = 2;

    /// <summary>Encodes <paramref name="image"/> and writes the file at <paramref name="path"/>, replacing any existing one.</summary>
    public static void Write(string path, Gray16Image image, TiffEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, Encode(image, encoding, path));
    }

    /// <summary>Encodes <paramref name="image"/> to the bytes of a TIFF file.</summary>
    public static byte[] Encode(Gray16Image image, TiffEncoding encoding) => Encode(image, encoding, "in-memory TIFF");

    private static unsafe byte[] Encode(Gray16Image image, TiffEncoding encoding, string name)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(encoding);

        using var log = new TiffMessageLog();
        var stream = TiffClientStream.ForWriting(((long)image.Pixels.Length * sizeof(ushort)) + 4096);
        try
        {
            nint tiff = LibTiff.Open(&stream, name, encoding.BigEndian ? "wb" : "wl", log);
            if (tiff == 0)
            {
                throw Failure(name, "could not start the file", log);
            }

            try
            {
                SetTags(tiff, name, image, encoding, log);
                if (encoding.IsTiled)
                {
                    WriteTiles(tiff, name, image, encoding.TileSize, log);
                }
                else
                {
                    WriteStrips(tiff, name, image, encoding.RowsPerStrip, log);
                }

                if (LibTiff.TIFFWriteDirectory(tiff) == 0)
                {
                    throw Failure(name, "could not write the directory", log);
                }
            }
            finally
            {
                LibTiff.TIFFClose(tiff);
            }

            // An error libtiff reported yet worked around (or reported while closing) would still make the output suspect.
            if (log.HasErrors)
            {
                throw Failure(name, "reported errors", log);
            }

            return stream.ToArray();
        }
        finally
        {
            stream.Release();
        }
    }

    private static void SetTags(nint tiff, string name, Gray16Image image, TiffEncoding encoding, TiffMessageLog log)
    {
        // Compression goes before Predictor: the codec registers the Predictor tag when it is selected.
        var tags = new List<(uint Tag, uint Value)>
        {
            (LibTiff.ImageWidth, (uint)image.Width),
            (LibTiff.ImageLength, (uint)image.Height),
            (LibTiff.BitsPerSample, 16),
            (LibTiff.SamplesPerPixel, 1),
            (LibTiff.SampleFormat, SampleFormatUnsigned),
            (LibTiff.Photometric, PhotometricMinIsBlack),
            (LibTiff.PlanarConfig, PlanarConfigContiguous),
            (LibTiff.Compression, (uint)encoding.Compression),
        };
        if (encoding.HorizontalPredictor)
        {
            tags.Add((LibTiff.Predictor, PredictorHorizontal));
        }

        if (encoding.IsTiled)
        {
            tags.Add((LibTiff.TileWidth, (uint)encoding.TileSize));
            tags.Add((LibTiff.TileLength, (uint)encoding.TileSize));
        }
        else
        {
            tags.Add((LibTiff.RowsPerStrip, (uint)Math.Min(encoding.RowsPerStrip, image.Height)));
        }

        foreach ((uint tag, uint value) in tags)
        {
            if (LibTiff.SetField(tiff, tag, value) == 0)
            {
                throw Failure(name, $"could not set tag {tag} to {value}", log);
            }
        }
    }

    /// <summary>
    /// Copies each strip to a scratch buffer before handing it to libtiff, which applies the predictor and byte swap
    /// in place and would otherwise alter the caller's image.
    /// </summary>
    private static unsafe void WriteStrips(nint tiff, string name, Gray16Image image, int rowsPerStrip, TiffMessageLog log)
    {
        int stripRows = Math.Min(rowsPerStrip, image.Height);
        int stripPixels = stripRows * image.Width;
        ushort* scratch = (ushort*)NativeMemory.Alloc((nuint)stripPixels * sizeof(ushort));
        try
        {
            for (int firstRow = 0, strip = 0; firstRow < image.Height; firstRow += stripRows, strip++)
            {
                int pixels = Math.Min(stripRows, image.Height - firstRow) * image.Width;
                image.Pixels.AsSpan(firstRow * image.Width, pixels).CopyTo(new Span<ushort>(scratch, pixels));
                nint bytes = (nint)pixels * sizeof(ushort);
                if (LibTiff.TIFFWriteEncodedStrip(tiff, (uint)strip, scratch, bytes) != bytes)
                {
                    throw Failure(name, $"could not write strip {strip}", log);
                }
            }
        }
        finally
        {
            NativeMemory.Free(scratch);
        }
    }

    /// <summary>Assembles each tile in a scratch buffer, padding the parts beyond the image edge with zeros.</summary>
    private static unsafe void WriteTiles(nint tiff, string name, Gray16Image image, int tileSize, TiffMessageLog log)
    {
        int tilePixels = tileSize * tileSize;
        nint bytes = (nint)tilePixels * sizeof(ushort);
        ushort* scratch = (ushort*)NativeMemory.Alloc((nuint)bytes);
        try
        {
            var tile = new Span<ushort>(scratch, tilePixels);
            for (int top = 0; top < image.Height; top += tileSize)
            {
                int rows = Math.Min(tileSize, image.Height - top);
                for (int left = 0; left < image.Width; left += tileSize)
                {
                    int columns = Math.Min(tileSize, image.Width - left);
                    tile.Clear();
                    for (int row = 0; row < rows; row++)
                    {
                        image.Pixels.AsSpan(((top + row) * image.Width) + left, columns).CopyTo(tile.Slice(row * tileSize, columns));
                    }

                    uint index = LibTiff.TIFFComputeTile(tiff, (uint)left, (uint)top, 0, 0);
                    if (LibTiff.TIFFWriteEncodedTile(tiff, index, scratch, bytes) != bytes)
                    {
                        throw Failure(name, $"could not write tile {index}", log);
                    }
                }
            }
        }
        finally
        {
            NativeMemory.Free(scratch);
        }
    }

    private static InvalidOperationException Failure(string name, string what, TiffMessageLog log) =>
        new($"libtiff {what} for {name}: {log.Describe()}.");
}
