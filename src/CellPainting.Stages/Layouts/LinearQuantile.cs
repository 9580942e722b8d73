namespace CellPainting.Stages.Layouts;

/// <summary>
/// Exact quantiles with numpy's default <c>method="linear"</c>: virtual index h = (n − 1)·q, the order statistics
/// a = x[⌊h⌋] and b = x[⌊h⌋ + 1] of the float32 values, and numpy's <c>_lerp</c>: the difference b − a in float32,
/// then a + diff·t (t = h − ⌊h⌋) in float64, or b − diff·(1 − t) when t ≥ 0.5, so the result equals
/// <c>np.quantile(x, q)</c> bit for bit.
/// </summary>
public static class LinearQuantile
{
    /// <summary>The quantile of <paramref name="values"/>; reorders them (selection, not a full sort).</summary>
    public static double Of(Span<float> values, double q)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        (long lower, double t) = VirtualIndex(values.Length, q);
        float a = Select(values, (int)lower);
        float b = lower + 1 < values.Length ? Min(values[((int)lower + 1)..]) : a;
        return Interpolate(a, b, t);
    }

    /// <summary>⌊(n − 1)·q⌋ and the fraction past it, as numpy computes them (in float64).</summary>
    public static (long Lower, double Fraction) VirtualIndex(long count, double q)
    {
        double index = (count - 1) * q;
        double lower = Math.Floor(index);
        return ((long)lower, index - lower);
    }

    public static double Interpolate(float a, float b, double t)
    {
        float difference = b - a;
        return t >= 0.5 ? b - (difference * (1 - t)) : a + (difference * t);
    }

    /// <summary>The k-th smallest (0-based) value; afterwards every value before k is ≤ it and every one after is ≥ it.</summary>
    public static float Select(Span<float> values, int k)
    {
        int left = 0;
        int right = values.Length - 1;
        while (right > left)
        {
            int middle = left + ((right - left) / 2);
            // Median of three as the pivot keeps sorted and constant runs (dark background) from going quadratic.
            float pivot = MedianOfThree(values[left], values[middle], values[right]);
            int i = left;
            int j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    private static float Min(ReadOnlySpan<float> values)
    {
        float min = values[0];
        foreach (float value in values)
        {
            min = value < min ? value : min;
        }

        return min;
    }

    private static float MedianOfThree(float a, float b, float c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
