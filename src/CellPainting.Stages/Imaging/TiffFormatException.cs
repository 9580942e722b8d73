namespace CellPainting.Stages.Imaging;

/// <summary>A file that is not a readable 16-bit grayscale TIFF; the message starts with the file name.</summary>
public sealed class TiffFormatException : Exception
{
    public TiffFormatException(string fileName, string problem)
        : base($"{fileName}: {problem}")
    {
        FileName = fileName;
    }

    /// <summary>The name the caller gave for the bytes (usually their path).</summary>
    public string FileName { get; }
}
