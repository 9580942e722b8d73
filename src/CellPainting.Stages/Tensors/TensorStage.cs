using System.Buffers;
using System.Globalization;
using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;
using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Tensors;

/// <summary>
/// Site tensors: <c>tensors/&lt;barcode&gt;/rRRcCCfFF.pt</c>, a bare float32 (5,S,S) tensor in PyTorch's zip format,
/// channels 1–5 of a site divided by 65535 and resized to S×S as torch's bilinear interpolate does.
/// </summary>
public sealed class TensorStage : IStage
{
    private readonly BuildConfig config;
    private readonly SiteCatalog catalog;

    public TensorStage(BuildConfig config, SiteCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        this.config = config;
        this.catalog = catalog;
        Parameters = new StageParameters(new Dictionary<string, string>
        {
            ["channels"] = "1,2,3,4,5",
            ["scale"] = "uint16/65535",
            ["resize"] = "bilinear,align_corners=false,antialias=false,torch>=2.0 float32",
            ["size"] = config.Tensors.Size.ToString(CultureInfo.InvariantCulture),
            ["dtype"] = "float32",
        });
    }

    public string Name => "tensors";

    /// <summary>Version 1: the reference's tensor recipe, written with torch's current record set.</summary>
    public int RecipeVersion => 1;

    public StageParameters Parameters { get; }

    /// <summary>Time this stage spent decoding and resizing, and the TIFFs it decoded itself, so far.</summary>
    public SiteLoadClock Load { get; } = new();

    public StageItems Discover() => catalog.ItemsFor(OutputsOf);

    /// <summary>A plate's sites at a time: a no-op over a batch holds a few plates' paths, not 900k.</summary>
    public IEnumerable<StageItems> DiscoverParts() => catalog.ItemsByPlate(OutputsOf);

    public void Build(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        int size = config.Tensors.Size;
        int length = SiteImageLoader.Channels * size * size;
        float[] buffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            SiteImageLoader.Load(item, context, size, buffer.AsSpan(0, length), Load);
            string stem = Path.GetFileNameWithoutExtension(item.Outputs[0].Path);
            context.WriteOutput("tensor", stream => TorchFile.WriteFloat32(stream, stem, [SiteImageLoader.Channels, size, size], buffer.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private IReadOnlyList<ItemOutput> OutputsOf(DiscoveredSite site) => [new ItemOutput("tensor", Path.Combine(config.Local.Tensors, site.Barcode, site.Key + ".pt"))];
}
