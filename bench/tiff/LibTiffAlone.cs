using System.Runtime.InteropServices;

/// <summary>libtiff on its own, as Pillow and TiffDecoder's fallback use it: the file opened by path, strips or tiles decoded by libtiff.</summary>
internal static unsafe partial class LibTiffAlone
{
    private const string Library = "libtiff.so.6";

    public static ushort[] Decode(string path)
    {
        nint tiff = TIFFOpen(path, "r");
        if (tiff == 0)
        {
            throw new InvalidDataException($"libtiff could not open {path}");
        }

        try
        {
            uint width;
            uint height;
            TIFFGetField(tiff, 256, &width);
            TIFFGetField(tiff, 257, &height);
            var pixels = new ushort[width * height];
            fixed (ushort* output = pixels)
            {
                if (TIFFIsTiled(tiff) != 0)
                {
                    uint tileWidth;
                    uint tileLength;
                    TIFFGetField(tiff, 322, &tileWidth);
                    TIFFGetField(tiff, 323, &tileLength);
                    var tile = new ushort[tileWidth * tileLength];
                    fixed (ushort* scratch = tile)
                    {
                        for (uint top = 0; top < height; top += tileLength)
                        {
                            for (uint left = 0; left < width; left += tileWidth)
                            {
                                Check(TIFFReadEncodedTile(tiff, TIFFComputeTile(tiff, left, top, 0, 0), scratch, tile.Length * 2) > 0, path);
                                uint columns = Math.Min(tileWidth, width - left);
                                for (uint row = 0; row < Math.Min(tileLength, height - top); row++)
                                {
                                    tile.AsSpan((int)(row * tileWidth), (int)columns).CopyTo(pixels.AsSpan((int)(((top + row) * width) + left)));
                                }
                            }
                        }
                    }
                }
                else
                {
                    uint rowsPerStrip = height;
                    TIFFGetFieldDefaulted(tiff, 278, &rowsPerStrip);
                    rowsPerStrip = Math.Min(rowsPerStrip, height);
                    for (uint strip = 0; strip < TIFFNumberOfStrips(tiff); strip++)
                    {
                        uint rows = Math.Min(rowsPerStrip, height - (strip * rowsPerStrip));
                        nint bytes = (nint)(rows * width * 2);
                        Check(TIFFReadEncodedStrip(tiff, strip, output + (strip * rowsPerStrip * width), bytes) == bytes, path);
                    }
                }
            }

            return pixels;
        }
        finally
        {
            TIFFClose(tiff);
        }
    }

    private static void Check(bool decoded, string path)
    {
        if (!decoded)
        {
            throw new InvalidDataException($"libtiff could not decode {path}");
        }
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint TIFFOpen(string path, string mode);

    [LibraryImport(Library)]
    private static partial void TIFFClose(nint tiff);

    [LibraryImport(Library)]
    private static partial int TIFFGetField(nint tiff, uint tag, uint* value);

    [LibraryImport(Library)]
    private static partial int TIFFGetFieldDefaulted(nint tiff, uint tag, uint* value);

    [LibraryImport(Library)]
    private static partial int TIFFIsTiled(nint tiff);

    [LibraryImport(Library)]
    private static partial uint TIFFNumberOfStrips(nint tiff);

    [LibraryImport(Library)]
    private static partial uint TIFFComputeTile(nint tiff, uint x, uint y, uint z, ushort sample);

    [LibraryImport(Library)]
    private static partial nint TIFFReadEncodedStrip(nint tiff, uint strip, void* buffer, nint size);

    [LibraryImport(Library)]
    private static partial nint TIFFReadEncodedTile(nint tiff, uint tile, void* buffer, nint size);
}
