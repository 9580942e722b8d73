namespace CellPainting.Stages.Sample;

/// <summary>A tiny PRNG with a fixed algorithm, so the sample's pixels never change with the runtime's Random.</summary>
internal struct SplitMix64
{
    private ulong state;

    public SplitMix64(ulong seed) => state = seed;

    public ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A seed derived from text (FNV-1a), for per-plate, per-site, per-channel streams.</summary>
    public static ulong SeedOf(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char character in text)
        {
            hash = (hash ^ character) * 0x100000001B3UL;
        }

        return hash;
    }
}
