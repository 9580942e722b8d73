using System.Collections.Concurrent;
using System.Diagnostics;
using CellPainting.Engine.Items;
using CellPainting.Engine.Planning;
using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tensors;

/// <summary>
/// Turns a site's five channel files into the reference's float32 (5,S,S) tensor: decode each 16-bit TIFF, divide by
/// 65535 and resize bilinearly with PyTorch's semantics, channel by channel into one buffer.
/// </summary>
public static class SiteImageLoader
{
    public const int Channels = 5;

    /// <summary>Resizers hold their weight tables; one per (input size, output size) serves every site.</summary>
    private static readonly ConcurrentDictionary<(int Height, int Width, int Size), BilinearResize> Resizers = new();

    /// <summary>Pixel arrays for the sites the workers have in flight: one each, with room to spare.</summary>
    private static readonly PixelPool Pixels = new(2 * Channels * Environment.ProcessorCount);

    /// <summary>
    /// Fills <paramref name="destination"/> (5·S·S floats) from the item's inputs ch1..ch5; adds the time taken to
    /// <paramref name="clock"/> when given. The decoded channels are shared through the context, so a stage run
    /// together with this one on the same site resizes them without decoding the TIFFs again.
    /// </summary>
    public static void Load(WorkItem item, IBuildContext context, int size, Span<float> destination, SiteLoadClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        int plane = size * size;
        string key = "decoded-tiffs:" + string.Join('|', item.Inputs.Take(Channels).Select(input => input.Path));
        DecodedSite site = context.Shared(key, () => Decode(item, context, clock));
        long start = Stopwatch.GetTimestamp();
        for (int channel = 0; channel < Channels; channel++)
        {
            Gray16Image image = site.Channels[channel];
            ResizerFor(image.Height, image.Width, size).ResizeFromUInt16(image.Pixels, destination.Slice(channel * plane, plane));
        }

        clock?.AddResize(Stopwatch.GetTimestamp() - start);
    }

    private static DecodedSite Decode(WorkItem item, IBuildContext context, SiteLoadClock? clock)
    {
        long start = Stopwatch.GetTimestamp();
        var site = new DecodedSite(Pixels);
        try
        {
            for (int channel = 0; channel < Channels; channel++)
            {
                ItemInput input = item.Inputs[channel];
                string source = context.SourceOf(input.Name);
                Gray16Image image = context.ReadInput(input.Name, bytes => TiffDecoder.Decode(bytes, source, Pixels));
                site.Add(image);
                Gray16Image first = site.Channels[0];
                if (first.Width != image.Width || first.Height != image.Height)
                {
                    throw new ItemFailedException(
                        $"channel images differ in size: {context.SourceOf(item.Inputs[0].Name)} is {first.Width}x{first.Height}, {source} is {image.Width}x{image.Height}");
                }
            }
        }
        catch
        {
            site.Dispose();
            throw;
        }

        clock?.AddDecode(Stopwatch.GetTimestamp() - start, Channels);
        return site;
    }

    private static BilinearResize ResizerFor(int height, int width, int size) =>
        Resizers.GetOrAdd((height, width, size), key => new BilinearResize(key.Height, key.Width, key.Size, key.Size));
}
