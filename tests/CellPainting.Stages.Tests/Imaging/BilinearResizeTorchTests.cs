using System.Globalization;
using System.Runtime.InteropServices;
using CellPainting.Stages.Imaging;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Imaging;

/// <summary>
/// Compares the resize with the installed PyTorch (Debian's 1.13) and with an exact numpy model of the
/// torch >= 2.0 rule, on random 16-bit planes converted the reference way ((float)raw / 65535f).
/// </summary>
public sealed class BilinearResizeTorchTests
{
    private const int Channels = 5;

    private const string TorchScript = """
        import sys
        import numpy as np, torch
        import torch.nn.functional as F
        raw, c, h, w, oh, ow, out = sys.argv[1], *map(int, sys.argv[2:7]), sys.argv[7]
        torch.set_num_threads(1)
        x = np.fromfile(raw, dtype="<u2").reshape(c, h, w).astype(np.float32)
        x /= np.float32(65535)
        y = F.interpolate(torch.from_numpy(x).unsqueeze(0), size=(oh, ow), mode="bilinear", align_corners=False)
        y.squeeze(0).contiguous().numpy().astype("<f4").tofile(out)
        """;

    // torch >= 2.0 (float32 opmath) written from the rule, with every fma(a, b, c) rounded exactly once:
    // a*b of two floats is exact in float64, TwoSum gives the exact error of adding c, and the one case
    // where rounding that double to float32 rounds twice (a tie with a non-zero error) is corrected.
    private const string OracleScript = """
        import sys
        import numpy as np
        raw, c, h, w, oh, ow, out = sys.argv[1], *map(int, sys.argv[2:7]), sys.argv[7]
        f32, f64 = np.float32, np.float64

        def fma32(a, b, c):
            a, b, c = np.broadcast_arrays(np.asarray(a, f32), np.asarray(b, f32), np.asarray(c, f32))
            p = a.astype(f64) * b.astype(f64)
            c64 = c.astype(f64)
            s = p + c64
            bb = s - p
            err = (p - (s - bb)) + (c64 - bb)
            r = s.astype(f32)
            r64 = r.astype(f64)
            other = np.nextafter(r, np.where(s > r64, f32(np.inf), f32(-np.inf)))
            tie = (s != r64) & (s == (r64 + other.astype(f64)) / 2)
            return np.where(tie & (err != 0) & (np.sign(err) == np.sign(s - r64)), other, r)

        def axis(n_in, n_out):
            if n_in == n_out:
                i = np.arange(n_out)
                return i, i, np.ones(n_out, f32), np.zeros(n_out, f32)
            scale = f32(n_in) / f32(n_out)
            src = fma32(scale, np.arange(n_out).astype(f32) + f32(0.5), f32(-0.5))
            src = np.where(src < 0, f32(0), src)
            i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
            l1 = np.clip(src - i0.astype(f32), f32(0), f32(1)).astype(f32)
            return i0, np.where(i0 < n_in - 1, i0 + 1, i0), (f32(1) - l1).astype(f32), l1

        x = np.fromfile(raw, dtype="<u2").reshape(c, h, w).astype(f32) / f32(65535)
        h0, h1, hl0, hl1 = axis(h, oh)
        w0, w1, wl0, wl1 = axis(w, ow)

        def rows(r):
            xr = x[:, r, :]
            return fma32(xr[:, :, w0], wl0, xr[:, :, w1] * wl1)

        y = fma32(rows(h0), hl0[:, None], rows(h1) * hl1[:, None])
        y.astype("<f4").tofile(out)
        """;

    [TestCase(1080, 1080, 384, 384)]
    [TestCase(1080, 1080, 224, 224)]
    [TestCase(100, 100, 37, 37)]
    [TestCase(20, 20, 50, 50)]
    [TestCase(100, 60, 37, 45)]
    public void With_the_double_rule_the_output_is_bit_identical_to_torch_1_13(int height, int width, int outHeight, int outWidth)
    {
        SystemPython.Require("torch", "numpy");
        var (ours, theirs) = Compare(TorchScript, BilinearWeightRule.Double, height, width, outHeight, outWidth);

        Assert.That(FloatComparison.Mismatches(ours, theirs), Is.Zero, FloatComparison.Describe(ours, theirs));
    }

    [TestCase(1080, 1080, 384, 384)]
    [TestCase(1080, 1080, 224, 224)]
    [TestCase(100, 100, 37, 37)]
    [TestCase(20, 20, 50, 50)]
    [TestCase(100, 60, 37, 45)]
    public void With_the_float32_rule_the_output_equals_an_exact_numpy_model_of_torch_2(int height, int width, int outHeight, int outWidth)
    {
        SystemPython.Require("numpy");
        var (ours, theirs) = Compare(OracleScript, BilinearWeightRule.Float32, height, width, outHeight, outWidth);

        Assert.That(FloatComparison.Mismatches(ours, theirs), Is.Zero, FloatComparison.Describe(ours, theirs));
    }

    // Measured on these 5x1080x1080 random planes: at 384 the two rules give the same weights (scale 2.8125
    // is exact), so torch 1.13 agrees to the bit; at 224, 249 494 of 250 880 values differ, by at most 5.74e-5.
    [TestCase(384, 0f)]
    [TestCase(224, 1e-4f)]
    public void The_float32_rule_stays_within_the_measured_distance_of_torch_1_13(int size, float bound)
    {
        SystemPython.Require("torch", "numpy");
        var (ours, theirs) = Compare(TorchScript, BilinearWeightRule.Float32, 1080, 1080, size, size);

        float maxDifference = FloatComparison.MaxDifference(ours, theirs);
        TestContext.Out.WriteLine($"1080->{size}: {FloatComparison.Describe(ours, theirs)}");

        Assert.That(maxDifference, Is.LessThanOrEqualTo(bound), FloatComparison.Describe(ours, theirs));
    }

    private static (float[] Ours, float[] Theirs) Compare(string script, BilinearWeightRule rule, int height, int width, int outHeight, int outWidth)
    {
        using var scratch = new TempDirectory();
        ushort[] pixels = RandomPixels.Create(Channels * height * width, seed: (height * 31) + outWidth);
        File.WriteAllBytes(scratch.PathOf("in.bin"), MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray());
        SystemPython.Run(
            script,
            [scratch.PathOf("in.bin"), .. new[] { Channels, height, width, outHeight, outWidth }.Select(n => n.ToString(CultureInfo.InvariantCulture)), scratch.PathOf("out.bin")]);
        float[] theirs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(scratch.PathOf("out.bin"))).ToArray();

        var ours = new float[Channels * outHeight * outWidth];
        new BilinearResize(height, width, outHeight, outWidth, rule).ResizeFromUInt16(pixels, ours);
        Assert.That(theirs, Has.Length.EqualTo(ours.Length));
        return (ours, theirs);
    }
}
