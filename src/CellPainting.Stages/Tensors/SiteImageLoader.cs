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

    /// <summary>Fills <paramref name="destination"/> (5·S·S floats) from the item's inputs ch1..ch5; adds the time taken to <paramref name="clock"/> when given.</summary>
    public static void Load(WorkItem item, IBuildContext context, int size, Span<float> destination, SiteLoadClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        int plane = size * size;
        (int Width, int Height, string Path)? first = null;
        long decodeTicks = 0;
        long resizeTicks = 0;
        for (int channel = 1; channel <= Channels; channel++)
        {
            ItemInput input = item.Inputs[channel - 1];
            long start = Stopwatch.GetTimestamp();
            Gray16Image image = TiffDecoder.Decode(context.ReadInput(input.Name), input.Path);
            long decoded = Stopwatch.GetTimestamp();
            decodeTicks += decoded - start;
            if (first is null)
            {
                first = (image.Width, image.Height, input.Path);
            }
            else if (first.Value.Width != image.Width || first.Value.Height != image.Height)
            {
                throw new ItemFailedException(
                    $"channel images differ in size: {first.Value.Path} is {first.Value.Width}x{first.Value.Height}, {input.Path} is {image.Width}x{image.Height}");
            }

            ResizerFor(image.Height, image.Width, size).ResizeFromUInt16(image.Pixels, destination.Slice((channel - 1) * plane, plane));
            resizeTicks += Stopwatch.GetTimestamp() - decoded;
        }

        clock?.Add(decodeTicks, resizeTicks);
    }

    private static BilinearResize ResizerFor(int height, int width, int size) =>
        Resizers.GetOrAdd((height, width, size), key => new BilinearResize(key.Height, key.Width, key.Size, key.Size));
}
