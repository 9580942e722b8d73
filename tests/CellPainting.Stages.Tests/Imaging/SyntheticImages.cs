using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tests.Imaging;

/// <summary>Microscope-like test images: a smooth illumination gradient plus noise, so compressors have real work to do.</summary>
internal static class SyntheticImages
{
    public static Gray16Image Create(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new ushort[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double background = 900 + (500 * Math.Sin((x + seed) / 37.0) * Math.Cos(y / 53.0)) + (2.0 * x);
                double noise = (random.NextDouble() - 0.5) * 120;
                pixels[(y * width) + x] = (ushort)Math.Clamp(background + noise, 0, ushort.MaxValue);
            }
        }

        // The extremes catch sign, byte-order and truncation mistakes that mid-range values can hide.
        pixels[0] = 0;
        pixels[^1] = ushort.MaxValue;
        pixels[pixels.Length / 2] = 0x00FF;
        pixels[(pixels.Length / 2) + 1] = 0xFF00;
        return new Gray16Image(width, height, pixels);
    }
}
