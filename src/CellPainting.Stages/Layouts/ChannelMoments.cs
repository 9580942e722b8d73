namespace CellPainting.Stages.Layouts;

/// <summary>
/// Count, sum and sum of squares of one channel's values after a spec's transform, accumulated per site in float64
/// and added up per site, giving the mean and the population standard deviation (numpy's ddof=0).
/// </summary>
public sealed class ChannelMoments
{
    private long count;
    private double sum;
    private double squares;

    public long Count => count;

    public double Mean => sum / count;

    public double Std => Math.Sqrt(Math.Max(0, (squares / count) - (Mean * Mean)));

    /// <summary>Adds <paramref name="values"/> clipped at <paramref name="upper"/> (infinity: no clipping), then log1p when asked.</summary>
    public void Add(ReadOnlySpan<float> values, double upper, bool log1p)
    {
        double siteSum = 0;
        double siteSquares = 0;
        foreach (float value in values)
        {
            double x = Math.Min(value, upper);
            x = log1p ? double.LogP1(x) : x;
            siteSum += x;
            siteSquares += x * x;
        }

        count += values.Length;
        sum += siteSum;
        squares += siteSquares;
    }
}
