using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// Bit-exact reimplementation of PyTorch CPU <c>F.interpolate(x, size=(outH, outW), mode="bilinear",
/// align_corners=False, antialias=False)</c> on float32 (C,H,W) data, for one fixed input and output size.
/// Each output is <c>fma(t0, hλ0, t1 * hλ1)</c> over the row values <c>t = fma(x[h,w0], wλ0, x[h,w1] * wλ1)</c>,
/// the contraction GCC gives torch's generic kernel on x86-64. The index/weight tables are built once here,
/// so keep one instance per size pair; instances are immutable and thread-safe.
/// </summary>
public sealed class BilinearResize
{
    private const float UInt16Max = 65535f;

    private readonly BilinearAxis _rows;
    private readonly BilinearAxis _columns;

    public BilinearResize(int inputHeight, int inputWidth, int outputHeight, int outputWidth, BilinearWeightRule rule = BilinearWeightRule.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputWidth, 1);
        if ((long)inputHeight * inputWidth > int.MaxValue || (long)outputHeight * outputWidth > int.MaxValue)
        {
            throw new ArgumentException("A plane must hold fewer than 2^31 pixels.");
        }

        if (!Enum.IsDefined(rule))
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown weight rule.");
        }

        InputHeight = inputHeight;
        InputWidth = inputWidth;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
        Rule = rule;
        _rows = BilinearAxis.Create(inputHeight, outputHeight, rule);
        _columns = BilinearAxis.Create(inputWidth, outputWidth, rule);
    }

    public int InputHeight { get; }

    public int InputWidth { get; }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    public BilinearWeightRule Rule { get; }

    /// <summary>Resizes C planes: <paramref name="source"/> is (C, InputHeight, InputWidth), <paramref name="destination"/> (C, OutputHeight, OutputWidth).</summary>
    public void Resize(ReadOnlySpan<float> source, Span<float> destination)
    {
        CheckPlanes(source.Length, destination.Length);
        ResizePlanes(destination, source, ReadOnlySpan<ushort>.Empty);
    }

    /// <summary>
    /// Resizes C planes of 16-bit pixels as if each had first become <c>(float)raw / 65535f</c> (the
    /// reference loader's true float32 division); only the pixels the kernel reads are converted.
    /// </summary>
    public void ResizeFromUInt16(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        CheckPlanes(source.Length, destination.Length);
        ResizePlanes(destination, ReadOnlySpan<float>.Empty, source);
    }

    private void CheckPlanes(int sourceLength, int destinationLength)
    {
        int inPlane = InputHeight * InputWidth;
        if (sourceLength == 0 || sourceLength % inPlane != 0)
        {
            throw new ArgumentException($"The source length {sourceLength} is not a whole number of {InputHeight}x{InputWidth} planes.", "source");
        }

        int planes = sourceLength / inPlane;
        if (destinationLength != (long)planes * OutputHeight * OutputWidth)
        {
            throw new ArgumentException($"The destination must hold {planes} planes of {OutputHeight}x{OutputWidth}, not {destinationLength} values.", "destination");
        }
    }

    /// <summary>All planes of whichever of <paramref name="floats"/> and <paramref name="raw"/> is non-empty.</summary>
    private void ResizePlanes(Span<float> destination, ReadOnlySpan<float> floats, ReadOnlySpan<ushort> raw)
    {
        int inPlane = InputHeight * InputWidth;
        int outPlane = OutputHeight * OutputWidth;
        var rows = new BilinearRowCache(OutputWidth);
        for (int c = 0; c < destination.Length / outPlane; c++)
        {
            rows.Reset();
            ResizePlane(
                destination.Slice(c * outPlane, outPlane),
                rows,
                floats.IsEmpty ? floats : floats.Slice(c * inPlane, inPlane),
                raw.IsEmpty ? raw : raw.Slice(c * inPlane, inPlane));
        }
    }

    /// <summary>One plane; exactly one of <paramref name="floats"/> and <paramref name="raw"/> is non-empty.</summary>
    // Hot loops a short build would otherwise run as unoptimised first-tier code for much of its life (seen in perf):
    // compiled optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ResizePlane(Span<float> destination, BilinearRowCache rows, ReadOnlySpan<float> floats, ReadOnlySpan<ushort> raw)
    {
        for (int oh = 0; oh < OutputHeight; oh++)
        {
            int h0 = _rows.Index0[oh];
            int h1 = _rows.Index1[oh];
            // Output rows share source rows (always when upsampling), so horizontally interpolated rows are kept.
            var top = rows.Get(h0, h1, out bool topReady);
            if (!topReady)
            {
                InterpolateRow(top, h0, floats, raw);
            }

            var bottom = rows.Get(h1, h0, out bool bottomReady);
            if (!bottomReady)
            {
                InterpolateRow(bottom, h1, floats, raw);
            }

            CombineRows(destination.Slice(oh * OutputWidth, OutputWidth), top, bottom, _rows.Lambda0[oh], _rows.Lambda1[oh]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InterpolateRow(Span<float> row, int sourceRow, ReadOnlySpan<float> floats, ReadOnlySpan<ushort> raw)
    {
        var w0 = _columns.Index0;
        var w1 = _columns.Index1;
        var l0 = _columns.Lambda0;
        var l1 = _columns.Lambda1;
        if (raw.IsEmpty)
        {
            var line = floats.Slice(sourceRow * InputWidth, InputWidth);
            for (int ow = 0; ow < row.Length; ow++)
            {
                row[ow] = MathF.FusedMultiplyAdd(line[w0[ow]], l0[ow], line[w1[ow]] * l1[ow]);
            }
        }
        else
        {
            var line = raw.Slice(sourceRow * InputWidth, InputWidth);
            for (int ow = 0; ow < row.Length; ow++)
            {
                float x0 = line[w0[ow]] / UInt16Max;
                float x1 = line[w1[ow]] / UInt16Max;
                row[ow] = MathF.FusedMultiplyAdd(x0, l0[ow], x1 * l1[ow]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineRows(Span<float> output, ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float lambda0, float lambda1)
    {
        int ow = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var v0 = Vector256.Create(lambda0);
            var v1 = Vector256.Create(lambda1);
            for (; ow <= output.Length - Vector256<float>.Count; ow += Vector256<float>.Count)
            {
                var t0 = Vector256.Create(top[ow..]);
                var t1 = Vector256.Create(bottom[ow..]);
                Vector256.FusedMultiplyAdd(t0, v0, t1 * v1).CopyTo(output[ow..]);
            }
        }

        for (; ow < output.Length; ow++)
        {
            output[ow] = MathF.FusedMultiplyAdd(top[ow], lambda0, bottom[ow] * lambda1);
        }
    }
}
