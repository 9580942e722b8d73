using CellPainting.Stages.Layouts;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class ChannelMomentsTests
{
    [Test]
    public void Moments_over_several_sites_are_those_of_all_values_clipped_then_log1p()
    {
        var moments = new ChannelMoments();
        moments.Add([0.1f, 0.5f], upper: 0.4, log1p: true);
        moments.Add([0.2f, 0.9f, 0.3f], upper: 0.4, log1p: true);

        double[] x = [.. new[] { 0.1f, 0.5f, 0.2f, 0.9f, 0.3f }.Select(value => Math.Log(1 + Math.Min(value, 0.4)))];
        double mean = x.Average();
        Assert.That(moments.Count, Is.EqualTo(5));
        Assert.That(moments.Mean, Is.EqualTo(mean).Within(1e-15));
        Assert.That(moments.Std, Is.EqualTo(Math.Sqrt(x.Select(value => (value - mean) * (value - mean)).Average())).Within(1e-15));
    }
}
