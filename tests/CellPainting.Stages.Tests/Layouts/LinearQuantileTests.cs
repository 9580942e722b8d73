using System.Globalization;
using CellPainting.Stages.Layouts;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class LinearQuantileTests
{
    private static readonly double[] Quantiles = [0, 0.001, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    [Test]
    public void Quantiles_equal_numpys_default_linear_quantiles_bit_for_bit()
    {
        SystemPython.Require("numpy");
        var random = new Random(3);
        // Odd and even lengths, ties (values on the uint16 grid) and a single value.
        float[][] arrays =
        [
            [.. Enumerable.Range(0, 1001).Select(_ => (float)random.NextDouble())],
            [.. Enumerable.Range(0, 1024).Select(_ => random.Next(0, 40) / 65535f)],
            [.. Enumerable.Range(0, 77).Select(_ => (float)(random.NextDouble() * 1e-3))],
            [0.5f],
        ];
        string data = string.Join(";", arrays.Select(array => string.Join(",", array.Select(value => value.ToString("R", CultureInfo.InvariantCulture)))));
        string oracle = SystemPython.Run(
            """
            import sys, numpy as np
            qs = [float(q) for q in sys.argv[2].split(",")]
            for part in sys.argv[1].split(";"):
                x = np.array([float(v) for v in part.split(",")], dtype=np.float32)
                print(" ".join(repr(float(np.quantile(x, q))) for q in qs))
            """,
            data,
            string.Join(",", Quantiles.Select(q => q.ToString("R", CultureInfo.InvariantCulture))));
        string[] lines = oracle.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        for (int array = 0; array < arrays.Length; array++)
        {
            double[] expected = [.. lines[array].Split(' ').Select(text => double.Parse(text, CultureInfo.InvariantCulture))];
            double[] actual = [.. Quantiles.Select(q => LinearQuantile.Of([.. arrays[array]], q))];
            Assert.That(actual, Is.EqualTo(expected), $"array {array}");
        }
    }

    [Test]
    public void Selection_puts_the_kth_value_in_place_with_smaller_values_before_it()
    {
        float[] values = [5, 1, 4, 1, 5, 9, 2, 6, 5, 3];
        float third = LinearQuantile.Select(values, 3);

        Assert.That(third, Is.EqualTo(3));
        Assert.That(values[..3], Is.All.LessThanOrEqualTo(3f));
        Assert.That(values[4..], Is.All.GreaterThanOrEqualTo(3f));
    }

    [Test]
    public void An_empty_channel_has_no_quantile()
    {
        Assert.Throws<ArgumentException>(() => LinearQuantile.Of([], 0.5));
    }
}
