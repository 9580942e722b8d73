namespace CellPainting.Stages.Imaging;

/// <summary>
/// How <see cref="TiffEncoder"/> lays out and compresses a file: strips of <see cref="RowsPerStrip"/> rows when
/// <see cref="TileSize"/> is 0, otherwise square tiles of <see cref="TileSize"/> pixels.
/// </summary>
public sealed record TiffEncoding
{
    public TiffEncoding(TiffCompression compression, bool horizontalPredictor, int rowsPerStrip, int tileSize, bool bigEndian = false)
    {
        if (!Enum.IsDefined(compression))
        {
            throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown TIFF compression.");
        }

        // The TIFF predictor tag is only defined for the LZW and Deflate codecs.
        if (horizontalPredictor && compression is not (TiffCompression.Lzw or TiffCompression.Deflate))
        {
            throw new ArgumentException($"The horizontal predictor needs LZW or Deflate compression, not {compression}.", nameof(horizontalPredictor));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(tileSize);
        if (tileSize == 0)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerStrip);
        }
        else
        {
            // The TIFF specification requires tile dimensions to be multiples of 16.
            if (tileSize % 16 != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(tileSize), tileSize, "The tile size must be a multiple of 16.");
            }

            // Rejected rather than ignored, so a caller never believes a strip height took effect.
            if (rowsPerStrip != 0)
            {
                throw new ArgumentException("RowsPerStrip must be 0 when the image is tiled.", nameof(rowsPerStrip));
            }
        }

        Compression = compression;
        HorizontalPredictor = horizontalPredictor;
        RowsPerStrip = rowsPerStrip;
        TileSize = tileSize;
        BigEndian = bigEndian;
    }

    public TiffCompression Compression { get; }

    public bool HorizontalPredictor { get; }

    /// <summary>Rows in each strip (the last one may be shorter); 0 for tiled images.</summary>
    public int RowsPerStrip { get; }

    /// <summary>Width and height of each tile in pixels; 0 writes strips.</summary>
    public int TileSize { get; }

    /// <summary>Writes Motorola (MM) byte order instead of the default Intel (II) order.</summary>
    public bool BigEndian { get; }

    public bool IsTiled => TileSize > 0;
}
