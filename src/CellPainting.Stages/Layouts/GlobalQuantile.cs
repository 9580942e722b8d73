namespace CellPainting.Stages.Layouts;

/// <summary>
/// The exact linear quantile of values too many to hold (a channel over a whole plate), in two passes over them:
/// the first counts values per bucket of the top 16 bits of their order-preserving key, the second keeps only the
/// values of the one or two buckets holding the order statistics needed, which are then selected exactly.
/// </summary>
public sealed class GlobalQuantile
{
    private const int Buckets = 1 << 16;
    private readonly long[] counts = new long[Buckets];
    private readonly double q;
    private readonly List<float> kept = [];
    private long total;
    private (int Bucket, long Before) first;
    private (int Bucket, long Before) second;
    private bool counted;

    public GlobalQuantile(double q)
    {
        this.q = q;
    }

    /// <summary>First pass: every value once.</summary>
    public void Count(ReadOnlySpan<float> values)
    {
        if (counted)
        {
            throw new InvalidOperationException("the counting pass is over");
        }

        foreach (float value in values)
        {
            counts[Key(value) >> 16]++;
        }

        total += values.Length;
    }

    /// <summary>Second pass: the same values again, in any order.</summary>
    public void Keep(ReadOnlySpan<float> values)
    {
        if (!counted)
        {
            EndCounting();
        }

        foreach (float value in values)
        {
            int bucket = (int)(Key(value) >> 16);
            if (bucket == first.Bucket || bucket == second.Bucket)
            {
                kept.Add(value);
            }
        }
    }

    public double Result()
    {
        if (!counted)
        {
            throw new InvalidOperationException("the values were not passed a second time");
        }

        (long lower, double t) = LinearQuantile.VirtualIndex(total, q);
        long upper = Math.Min(lower + 1, total - 1);
        // The kept values are buckets first (and second, when distinct) in key order, so ranks shift by first.Before.
        Span<float> values = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kept);
        float a = LinearQuantile.Select(values, (int)(lower - first.Before));
        float b = LinearQuantile.Select(values, (int)(upper - first.Before));
        return LinearQuantile.Interpolate(a, b, t);
    }

    private void EndCounting()
    {
        if (total == 0)
        {
            throw new InvalidOperationException("no values");
        }

        counted = true;
        (long lower, _) = LinearQuantile.VirtualIndex(total, q);
        first = BucketOf(lower);
        second = BucketOf(Math.Min(lower + 1, total - 1));
    }

    private (int Bucket, long Before) BucketOf(long rank)
    {
        long before = 0;
        for (int bucket = 0; bucket < Buckets; bucket++)
        {
            if (rank < before + counts[bucket])
            {
                return (bucket, before);
            }

            before += counts[bucket];
        }

        throw new InvalidOperationException("rank beyond the values counted");
    }

    /// <summary>A key whose unsigned order is the floats' numeric order (negative values flipped whole, positive ones past them).</summary>
    private static uint Key(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        return (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
    }
}
