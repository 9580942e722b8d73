namespace CellPainting.Stages.Imaging;

/// <summary>The compressions <see cref="TiffEncoder"/> writes; each value is the TIFF Compression tag code.</summary>
public enum TiffCompression
{
    None = 1,
    Lzw = 5,

    /// <summary>Zlib/Deflate, written with the standard code 8 (Adobe Deflate).</summary>
    Deflate = 8,
    PackBits = 32773,
}
