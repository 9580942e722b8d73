using System.Globalization;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// The microns per pixel of a plate's tensors: the raw images' pixel size scaled by the resize to S×S, and spora_io's
/// folder name for it (<c>1_682mpp</c>: three decimals, trailing zeros dropped but one kept, <c>_</c> for the dot).
/// </summary>
public readonly record struct Resolution(double MicronsPerPixel)
{
    public static Resolution OfTensors(double rawMicronsPerPixel, int rawWidth, int tensorSize) =>
        new(rawMicronsPerPixel * rawWidth / tensorSize);

    public string FolderName
    {
        get
        {
            string text = Math.Round(MicronsPerPixel, 3, MidpointRounding.ToEven).ToString("0.0##", CultureInfo.InvariantCulture);
            return text.Replace('.', '_') + "mpp";
        }
    }

    public override string ToString() => FolderName;
}
