namespace CellPainting.Stages.Sample;

/// <summary>
/// Deterministic, plausible-looking channel images: a dim uneven background, bright "cells" at positions shared by
/// all channels of a site (with channel-specific brightness and size), and shot-like noise. Content matters only
/// in that it compresses like real data (LZW must work) and differs per site and channel.
/// </summary>
internal static class SyntheticSite
{
    public static Imaging.Gray16Image Render(int size, string siteStream, int channel)
    {
        var cells = new SplitMix64(SplitMix64.SeedOf(siteStream));
        var noise = new SplitMix64(SplitMix64.SeedOf($"{siteStream}/ch{channel}"));
        var pixels = new ushort[size * size];
        double background = 200 + (80 * channel);
        double[] field = new double[size * size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                field[(y * size) + x] = background * (1.0 + (0.15 * Math.Sin((x + (7 * channel)) / (size / 3.0))) + (0.1 * Math.Cos(y / (size / 4.0))));
            }
        }

        int count = 6 + (int)(cells.Next() % 10);
        for (int cell = 0; cell < count; cell++)
        {
            double centreX = cells.NextDouble() * size;
            double centreY = cells.NextDouble() * size;
            double radius = (size / 24.0) * (0.7 + cells.NextDouble()) * (channel == 5 ? 0.6 : 1.0);
            double peak = 2000 + (cells.NextDouble() * 9000 / channel);
            int reach = (int)(radius * 3);
            for (int y = Math.Max(0, (int)centreY - reach); y < Math.Min(size, (int)centreY + reach); y++)
            {
                for (int x = Math.Max(0, (int)centreX - reach); x < Math.Min(size, (int)centreX + reach); x++)
                {
                    double distance2 = ((x - centreX) * (x - centreX)) + ((y - centreY) * (y - centreY));
                    field[(y * size) + x] += peak * Math.Exp(-distance2 / (2 * radius * radius));
                }
            }
        }

        for (int index = 0; index < pixels.Length; index++)
        {
            double value = field[index] + ((noise.NextDouble() - 0.5) * 60);
            pixels[index] = (ushort)Math.Clamp(Math.Round(value), 0, 65535);
        }

        return new Imaging.Gray16Image(size, size, pixels);
    }
}
