using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// The resolution of a plate's tensors: <c>layout.spora_io.image_mpp</c> and <c>image_size</c> when configured, else
/// the plate's <c>Images/Index.idx.xml</c>, which is then an input of the plate's items (a change moves them).
/// </summary>
public static class PlateResolution
{
    public const string IndexInput = "harmony-index";

    /// <summary>The resolution and the XML input it came from (null with a configured mpp); or why it cannot be had.</summary>
    public static (Resolution Resolution, ItemInput? Index, string? Problem) Of(BuildConfig config, string barcode)
    {
        ArgumentNullException.ThrowIfNull(config);
        SporaLayoutSettings spora = config.Layout.Spora;
        if (spora.ImageMpp is double configured)
        {
            return (Resolution.OfTensors(configured, spora.ImageSize, config.Tensors.Size), null, null);
        }

        PlateDirectory plate = config.Plates.First(candidate => candidate.Barcode == barcode);
        string path = Path.Combine(config.Local.RawImages, config.Batch, plate.Name, "Images", HarmonyIndex.FileName);
        if (!File.Exists(path))
        {
            return (default, null, $"{path} not found: set cpjump.layout.spora_io.image_mpp (and image_size) in {config.SourceFile}, or sync the plate's Images/ with fetch.channels: all");
        }

        try
        {
            using FileStream stream = File.OpenRead(path);
            (double microns, int width) = HarmonyIndex.ReadResolution(stream, path);
            return (Resolution.OfTensors(microns, width, config.Tensors.Size), new ItemInput(IndexInput, path), null);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            return (default, null, exception.Message);
        }
    }
}
