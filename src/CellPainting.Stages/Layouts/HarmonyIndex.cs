using System.Globalization;
using System.Xml;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// The pixel size a Harmony (Phenix) export records in <c>Images/Index.idx.xml</c>: the first image's
/// <c>ImageResolutionX</c> (metres, or the unit its <c>Unit</c> attribute names) and <c>ImageSizeX</c> (pixels).
/// </summary>
public static class HarmonyIndex
{
    public const string FileName = "Index.idx.xml";

    /// <exception cref="InvalidDataException">The file is not XML or lacks either value; the message names the file and line.</exception>
    public static (double MicronsPerPixel, int Width) ReadResolution(Stream xml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(xml);
        double? microns = null;
        int? width = null;
        using var reader = XmlReader.Create(xml, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        try
        {
            // ReadElementContentAsString leaves the reader on the next node already, so it is not read past.
            bool positioned = false;
            while (microns is null || width is null)
            {
                if (!positioned && !reader.Read())
                {
                    break;
                }

                positioned = false;
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                int line = ((IXmlLineInfo)reader).LineNumber;
                if (reader.LocalName == "ImageResolutionX" && microns is null)
                {
                    string unit = reader.GetAttribute("Unit") ?? "m";
                    double value = Number(reader.ReadElementContentAsString(), fileName, line, "ImageResolutionX");
                    positioned = true;
                    microns = value * unit switch
                    {
                        "m" => 1e6,
                        "mm" => 1e3,
                        "um" or "µm" => 1,
                        _ => throw new InvalidDataException($"{fileName}:{line}: ImageResolutionX has unit '{unit}'; expected m, mm, um or µm"),
                    };
                }
                else if (reader.LocalName == "ImageSizeX" && width is null)
                {
                    width = (int)Number(reader.ReadElementContentAsString(), fileName, line, "ImageSizeX");
                    positioned = true;
                }
            }
        }
        catch (XmlException exception)
        {
            throw new InvalidDataException($"{fileName}:{exception.LineNumber}: not valid XML: {exception.Message}", exception);
        }

        return microns is > 0 && width is > 0
            ? (microns.Value, width.Value)
            : throw new InvalidDataException($"{fileName}: no positive {(microns is > 0 ? "ImageSizeX" : "ImageResolutionX")} in any image entry");
    }

    private static double Number(string text, string fileName, int line, string element) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InvalidDataException($"{fileName}:{line}: {element} '{text.Trim()}' is not a number");
}
