namespace CellPainting.Stages.Layouts;

/// <summary>spora_io's standardisation methods: none, clipping at an upper quantile, or clipping then log1p.</summary>
public enum StandardizationMethod
{
    Identity,
    QuantileClipping,
    QuantileClippingLog1p,
}
