namespace CellPainting.Stages.Imaging;

/// <summary>A single-channel 16-bit image; <see cref="Pixels"/> holds <see cref="Height"/> rows of <see cref="Width"/> samples, row-major.</summary>
public sealed class Gray16Image
{
    public Gray16Image(int width, int height, ushort[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height != pixels.Length)
        {
            throw new ArgumentException(
                $"A {width}x{height} image needs {(long)width * height} pixels, but {pixels.Length} were given.",
                nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The samples, exposed as the array itself so stages can process them without copying.</summary>
    public ushort[] Pixels { get; }
}
