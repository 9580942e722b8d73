using CellPainting.Stages.Imaging;
using CellPainting.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace CellPainting.Stages.LibTorch.Tests.Imaging;

/// <summary>
/// The resize's default (torch &gt;= 2 float32) rule against <c>torch.nn.functional.interpolate(mode="bilinear",
/// align_corners=False)</c> of LibTorch 2.10 (the reference pipeline's torch), run in this process, on random 16-bit
/// planes converted the reference way ((float)raw / 65535f): bit for bit at the pipeline's sizes, downscaling and
/// upscaling.
/// </summary>
public sealed class BilinearResizeLibTorchTests
{
    private const int Channels = 5;

    [OneTimeSetUp]
    public void UseOneThread() => torch.set_num_threads(1);

    [Test]
    public void The_oracle_is_libtorch_2_10() => Assert.That(torch.__version__, Does.StartWith("2.10"));

    [TestCase(1080, 1080, 384, 384)]
    [TestCase(1080, 1080, 224, 224)]
    [TestCase(1000, 1080, 384, 384)]
    [TestCase(1080, 1080, 383, 385)]
    [TestCase(224, 224, 384, 384)]
    [TestCase(37, 45, 100, 61)]
    public void With_the_float32_rule_the_output_is_bit_identical_to_libtorch(int height, int width, int outHeight, int outWidth)
    {
        var (ours, theirs) = Compare(height, width, outHeight, outWidth);

        Assert.That(FloatComparison.Mismatches(ours, theirs), Is.Zero, FloatComparison.Describe(ours, theirs));
    }

    // Measured: on outputs this small (5 planes of at most 50 x 50) LibTorch 2.10 rounds 17-39 % of the values one
    // float32 step away from ours (and from the numpy model of the rule), so it evaluates them in another order there;
    // which one is not known yet. The bound is one step at 1.0 (2^-23); every size above is bit-identical.
    [TestCase(100, 100, 37, 37)]
    [TestCase(100, 60, 37, 45)]
    [TestCase(7, 11, 3, 5)]
    [TestCase(20, 20, 50, 50)]
    public void On_small_outputs_libtorch_differs_by_at_most_one_float32_step(int height, int width, int outHeight, int outWidth)
    {
        var (ours, theirs) = Compare(height, width, outHeight, outWidth);

        Assert.That(FloatComparison.MaxDifference(ours, theirs), Is.LessThanOrEqualTo(MathF.Pow(2, -23)), FloatComparison.Describe(ours, theirs));
    }

    private static (float[] Ours, float[] Theirs) Compare(int height, int width, int outHeight, int outWidth)
    {
        ushort[] pixels = RandomPixels.Create(Channels * height * width, seed: (height * 31) + outWidth);
        float[] input = Array.ConvertAll(pixels, raw => raw / 65535f);

        float[] theirs;
        using (var x = torch.tensor(input, [1, Channels, height, width]))
        using (var y = nn.functional.interpolate(x, size: [outHeight, outWidth], mode: InterpolationMode.Bilinear, align_corners: false))
        {
            theirs = y.contiguous().data<float>().ToArray();
        }

        var ours = new float[Channels * outHeight * outWidth];
        new BilinearResize(height, width, outHeight, outWidth).ResizeFromUInt16(pixels, ours);
        Assert.That(theirs, Has.Length.EqualTo(ours.Length));
        TestContext.Out.WriteLine($"{height}x{width} -> {outHeight}x{outWidth}: {FloatComparison.Describe(ours, theirs)}");
        return (ours, theirs);
    }
}
