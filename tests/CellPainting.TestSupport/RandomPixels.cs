namespace CellPainting.TestSupport;

/// <summary>Seeded uniform 16-bit pixels over the full range, the hardest input for a resize comparison.</summary>
public static class RandomPixels
{
    public static ushort[] Create(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            pixels[i] = (ushort)random.Next(0, 65536);
        }

        return pixels;
    }
}
