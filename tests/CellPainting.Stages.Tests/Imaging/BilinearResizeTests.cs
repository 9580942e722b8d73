using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tests.Imaging;

public sealed class BilinearResizeTests
{
    [Test]
    public void Doubling_a_two_pixel_row_gives_quarter_steps_and_repeats_the_edges()
    {
        // scale 0.5: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (last pixel twice, so λ is moot).
        var resize = new BilinearResize(1, 2, 1, 4);
        var output = new float[4];

        resize.Resize([0f, 1f], output);

        Assert.That(output, Is.EqualTo(new[] { 0f, 0.25f, 0.75f, 1f }));
    }

    [Test]
    public void Halving_averages_the_inner_two_by_two_block_of_each_four_by_four_cell()
    {
        // 4 -> 2: sources 0.5 and 2.5, so each output is the mean of a 2x2 block.
        float[] plane =
        [
            0, 1, 2, 3,
            4, 5, 6, 7,
            8, 9, 10, 11,
            12, 13, 14, 15,
        ];
        var output = new float[4];

        new BilinearResize(4, 4, 2, 2).Resize(plane, output);

        Assert.That(output, Is.EqualTo(new[] { 2.5f, 4.5f, 10.5f, 12.5f }));
    }

    [TestCase(BilinearWeightRule.Float32)]
    [TestCase(BilinearWeightRule.Double)]
    public void Equal_sizes_copy_the_input_exactly(BilinearWeightRule rule)
    {
        float[] plane = RandomFloats(2 * 7 * 5, seed: 1);
        var output = new float[plane.Length];

        new BilinearResize(7, 5, 7, 5, rule).Resize(plane, output);

        Assert.That(output, Is.EqualTo(plane));
    }

    [Test]
    public void The_uint16_entry_equals_the_float_entry_on_raw_divided_by_65535()
    {
        ushort[] raw = RandomPixels(3 * 100 * 60, seed: 2);
        float[] asFloats = [.. raw.Select(p => p / 65535f)];
        var fromRaw = new float[3 * 37 * 45];
        var fromFloats = new float[fromRaw.Length];
        var resize = new BilinearResize(100, 60, 37, 45);

        resize.ResizeFromUInt16(raw, fromRaw);
        resize.Resize(asFloats, fromFloats);

        Assert.That(fromRaw, Is.EqualTo(fromFloats));
    }

    [Test]
    public void Each_channel_plane_is_resized_on_its_own()
    {
        ushort[] raw = RandomPixels(5 * 30 * 30, seed: 3);
        var all = new float[5 * 11 * 11];
        var resize = new BilinearResize(30, 30, 11, 11);
        resize.ResizeFromUInt16(raw, all);

        for (int c = 0; c < 5; c++)
        {
            var single = new float[11 * 11];
            resize.ResizeFromUInt16(raw.AsSpan(c * 900, 900), single);
            Assert.That(all.AsSpan(c * 121, 121).ToArray(), Is.EqualTo(single), $"channel {c}");
        }
    }

    [Test]
    public void The_rules_disagree_at_224_but_agree_at_384_where_the_scale_is_exact()
    {
        ushort[] raw = RandomPixels(1080 * 1080, seed: 4);

        Assert.That(Resized(raw, 224, BilinearWeightRule.Float32), Is.Not.EqualTo(Resized(raw, 224, BilinearWeightRule.Double)));
        Assert.That(Resized(raw, 384, BilinearWeightRule.Float32), Is.EqualTo(Resized(raw, 384, BilinearWeightRule.Double)));
    }

    [Test]
    public void A_source_that_is_not_whole_planes_is_rejected() =>
        Assert.That(() => new BilinearResize(4, 4, 2, 2).Resize(new float[17], new float[4]),
            Throws.ArgumentException.With.Message.Contains("4x4"));

    [Test]
    public void A_destination_of_the_wrong_size_is_rejected() =>
        Assert.That(() => new BilinearResize(4, 4, 2, 2).ResizeFromUInt16(new ushort[32], new float[4]),
            Throws.ArgumentException.With.Message.Contains("2 planes of 2x2"));

    [TestCase(0, 4, 2, 2)]
    [TestCase(4, 4, 2, 0)]
    public void Empty_sizes_are_rejected(int height, int width, int outHeight, int outWidth) =>
        Assert.That(() => new BilinearResize(height, width, outHeight, outWidth), Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static float[] Resized(ushort[] raw, int size, BilinearWeightRule rule)
    {
        var output = new float[size * size];
        new BilinearResize(1080, 1080, size, size, rule).ResizeFromUInt16(raw, output);
        return output;
    }

    private static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble())];
    }

    private static ushort[] RandomPixels(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (ushort)random.Next(0, 65536))];
    }
}
