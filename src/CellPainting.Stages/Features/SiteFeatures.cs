namespace CellPainting.Stages.Features;

/// <summary>
/// One site's features: float32 (5, D), row c = channel c + 1, each row the model's normalised CLS token
/// (<c>pooler_output</c>). <see cref="Values"/> is the site's own array, never a view of the batch, so the .pt
/// file written from it holds exactly 5 * D values.
/// </summary>
public sealed class SiteFeatures
{
    internal SiteFeatures(string siteId, float[] values, int width)
    {
        SiteId = siteId;
        Values = values;
        Width = width;
    }

    /// <summary>The id of the <see cref="SiteTensor"/> these features came from.</summary>
    public string SiteId { get; }

    /// <summary>Row-major (5, D) values.</summary>
    public float[] Values { get; }

    /// <summary>Feature width D (384 for ViT-S/16, 1024 for ViT-L/16).</summary>
    public int Width { get; }

    /// <summary>The tensor shape to write: (5, D).</summary>
    public long[] Shape => [SiteTensor.Channels, Width];
}
