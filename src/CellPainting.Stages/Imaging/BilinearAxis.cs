namespace CellPainting.Stages.Imaging;

/// <summary>
/// For one axis (input length → output length): each output index's two source indices and weights, as
/// PyTorch's compute_source_index_and_lambda gives them for align_corners=False without antialiasing.
/// </summary>
internal sealed class BilinearAxis
{
    private BilinearAxis(int[] index0, int[] index1, float[] lambda0, float[] lambda1)
    {
        Index0 = index0;
        Index1 = index1;
        Lambda0 = lambda0;
        Lambda1 = lambda1;
    }

    public int[] Index0 { get; }

    /// <summary>Index0 + 1, or Index0 itself at the last source index.</summary>
    public int[] Index1 { get; }

    public float[] Lambda0 { get; }

    public float[] Lambda1 { get; }

    public static BilinearAxis Create(int inputLength, int outputLength, BilinearWeightRule rule)
    {
        var index0 = new int[outputLength];
        var index1 = new int[outputLength];
        var lambda0 = new float[outputLength];
        var lambda1 = new float[outputLength];
        // (float)in / out, a float32 division in both torch generations.
        float scale = (float)inputLength / outputLength;
        for (int d = 0; d < outputLength; d++)
        {
            if (inputLength == outputLength)
            {
                // torch special-cases equal sizes as a plain copy.
                index0[d] = d;
                index1[d] = d;
                lambda0[d] = 1f;
                lambda1[d] = 0f;
                continue;
            }

            int i0;
            float l1;
            if (rule == BilinearWeightRule.Double)
            {
                double src = (scale * (d + 0.5)) - 0.5;
                src = src < 0 ? 0 : src;
                i0 = Math.Min((int)src, inputLength - 1);
                l1 = (float)Math.Clamp(src - i0, 0.0, 1.0);
            }
            else
            {
                // GCC contracts scale * x - 0.5f into one FMA in torch's AVX2 kernels.
                float src = MathF.FusedMultiplyAdd(scale, d + 0.5f, -0.5f);
                src = src < 0f ? 0f : src;
                i0 = Math.Min((int)MathF.Floor(src), inputLength - 1);
                l1 = Math.Clamp(src - i0, 0f, 1f);
            }

            index0[d] = i0;
            index1[d] = i0 < inputLength - 1 ? i0 + 1 : i0;
            lambda1[d] = l1;
            // 1 - λ1 is the same float whether formed in double and rounded (1.13) or in float32.
            lambda0[d] = 1f - l1;
        }

        return new BilinearAxis(index0, index1, lambda0, lambda1);
    }
}
