using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Sites;
using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// Gallery-style profiles <c>&lt;gallery&gt;/workspace_dl/profiles/&lt;variant&gt;/&lt;batch&gt;/&lt;barcode&gt;/</c>:
/// per plate one Parquet of site profiles and one of well profiles (see ProfileTables). One item per plate whose
/// inputs are the metadata cache and the plate's feature files, so one site changed rebuilds that plate's two files.
/// </summary>
public sealed class ProfilesStage : IStage
{
    public const string SitesOutput = "sites";
    public const string WellsOutput = "wells";
    private const string MetadataInput = "metadata-cache";
    private const int SiteTensorChannels = Features.SiteTensor.Channels;

    private readonly BuildConfig config;
    private readonly string featuresDirectory;

    /// <param name="featuresDirectory">The folder of the configured features' <c>&lt;barcode&gt;/rRRcCCfFF.pt</c> files.</param>
    /// <param name="variant">The features variant's name (model name and parameters digest, as FeatureStage names it).</param>
    public ProfilesStage(BuildConfig config, string featuresDirectory, string variant)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(featuresDirectory);
        ArgumentNullException.ThrowIfNull(variant);
        this.config = config;
        this.featuresDirectory = featuresDirectory;
        Variant = variant;
        Parameters = new StageParameters(new Dictionary<string, string>
        {
            ["variant"] = variant,
            ["source"] = config.Layout.Gallery.Source,
            ["site_aggregation"] = ProfileTables.SiteAggregation,
            ["well_aggregation"] = ProfileTables.WellAggregation,
            ["format"] = "parquet (Parquet.Net, snappy, one row group)",
        });
    }

    public string Name => "profiles";

    public int RecipeVersion => 1;

    public StageParameters Parameters { get; }

    public string Variant { get; }

    /// <summary><c>&lt;gallery root&gt;/workspace_dl/profiles/&lt;variant&gt;</c>: the folder the manifest's urls are relative to.</summary>
    public string ProfilesRoot => Path.Combine(config.Layout.Gallery.Root, "workspace_dl", "profiles", Variant);

    /// <summary>A plate's output, relative to <see cref="ProfilesRoot"/> (with '/').</summary>
    public string RelativePath(string barcode, string output) =>
        $"{config.Batch}/{barcode}/{barcode}_{output}.parquet";

    public StageItems Discover()
    {
        string cache = MetadataStage.CachePathFor(config);
        var items = new List<WorkItem>();
        var skipped = new List<ItemProblem>();
        foreach ((string barcode, IReadOnlyList<(SiteKey Key, ItemInput Input)>? sites, string? missing) in PlateSiteFiles.In(config, featuresDirectory, "features"))
        {
            if (sites is null)
            {
                skipped.Add(new ItemProblem(barcode, barcode, $"{missing}: the plate has no features to profile"));
                continue;
            }

            ItemOutput[] outputs = [.. new[] { SitesOutput, WellsOutput }.Select(output => new ItemOutput(output, Path.Combine(ProfilesRoot, RelativePath(barcode, output))))];
            items.Add(new WorkItem(barcode, barcode, [new ItemInput(MetadataInput, cache), .. sites.Select(site => site.Input)], outputs));
        }

        return new StageItems(items, [], skipped);
    }

    public void Build(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        ItemInput cacheInput = item.Inputs.Single(input => input.Name == MetadataInput);
        MetadataCache cache = context.ReadInput(MetadataInput, json => MetadataCacheJson.Deserialize(json, cacheInput.Path));
        var sites = new List<(SiteKey Key, float[] Features)>();
        int? dimension = null;
        foreach (ItemInput input in item.Inputs.Where(input => input != cacheInput))
        {
            SiteKey.TryParseFileName(input.Name, PlateSiteFiles.Extension, out SiteKey key);
            TorchTensor tensor;
            try
            {
                tensor = context.ReadInput(input.Name, TorchFile.ReadFloat32);
            }
            catch (InvalidDataException exception)
            {
                throw new InvalidDataException($"{input.Path}: {exception.Message}", exception);
            }

            if (tensor.Shape.Count != 2 || tensor.Shape[0] != SiteTensorChannels || (dimension is int expected && tensor.Shape[1] != expected))
            {
                throw new InvalidDataException($"{input.Path}: features of shape ({string.Join(", ", tensor.Shape)}); expected ({SiteTensorChannels}, {dimension?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "D"}) like the plate's other sites");
            }

            dimension = tensor.Shape[1];
            sites.Add((key, tensor.Data.ToArray()));
        }

        var plate = new ProfilePlate(config.Layout.Gallery.Source, config.Batch, item.Group, Variant);
        (ParquetTable siteTable, ParquetTable wellTable) = ProfileTables.Build(plate, sites, SiteTensorChannels, dimension!.Value, cache);
        byte[] siteBytes = siteTable.ToBytes();
        byte[] wellBytes = wellTable.ToBytes();
        context.WriteOutput(SitesOutput, stream => stream.Write(siteBytes));
        context.WriteOutput(WellsOutput, stream => stream.Write(wellBytes));
    }
}
