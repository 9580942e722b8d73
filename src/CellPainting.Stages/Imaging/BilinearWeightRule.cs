namespace CellPainting.Stages.Imaging;

/// <summary>How source positions and interpolation weights are computed; the two PyTorch generations differ.</summary>
public enum BilinearWeightRule
{
    /// <summary>
    /// PyTorch &gt;= 2.0 ("opmath" = float32 for float tensors): <c>src = scale * (d + 0.5f) - 0.5f</c> in float32
    /// (fused), <c>λ1 = src - floor(src)</c> in float32. The reference pipeline runs torch &gt;= 2.10, so this is the default.
    /// </summary>
    Float32 = 0,

    /// <summary>
    /// PyTorch 1.13 (CPU accumulate type double): src and λ computed in double from the float32 scale,
    /// λ rounded to float32 at the end. Differs from <see cref="Float32"/> by about 1e-4 in some columns.
    /// </summary>
    Double = 1,
}
