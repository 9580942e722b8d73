using CellPainting.Stages.Layouts;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class GlobalQuantileTests
{
    [TestCase(0.99)]
    [TestCase(0.5)]
    [TestCase(1.0)]
    [TestCase(0.0)]
    public void Two_passes_over_the_parts_give_the_quantile_of_all_the_values_held_at_once(double q)
    {
        var random = new Random(11);
        // Mostly dark background with bright spots, in parts as a plate's sites come: many equal values in few buckets.
        float[][] parts = [.. Enumerable.Range(0, 7).Select(_ => Enumerable.Range(0, 900).Select(_ => random.NextDouble() < 0.9 ? random.Next(0, 30) / 65535f : (float)random.NextDouble()).ToArray())];
        var global = new GlobalQuantile(q);
        foreach (float[] part in parts)
        {
            global.Count(part);
        }

        foreach (float[] part in parts.Reverse())
        {
            global.Keep(part);
        }

        Assert.That(global.Result(), Is.EqualTo(LinearQuantile.Of([.. parts.SelectMany(part => part)], q)));
    }

    [Test]
    public void Negative_values_order_before_positive_ones()
    {
        float[] values = [-3f, 2f, -0.5f, 7f, 0f];
        var global = new GlobalQuantile(0.25);
        global.Count(values);
        global.Keep(values);

        Assert.That(global.Result(), Is.EqualTo(LinearQuantile.Of([.. values], 0.25)).And.EqualTo(-0.5));
    }

    [Test]
    public void Asking_for_the_result_before_the_second_pass_is_an_error()
    {
        var global = new GlobalQuantile(0.5);
        global.Count([1f, 2f]);

        Assert.Throws<InvalidOperationException>(() => global.Result());
    }
}
