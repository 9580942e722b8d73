using System.Globalization;
using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;
using CellPainting.Stages.Tensors;
using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Features;

/// <summary>
/// Site features <c>features/&lt;barcode&gt;/rRRcCCfFF.pt</c>: each channel of the site, at the model's input size,
/// replicated to RGB, ImageNet-normalised and run through the frozen ViT; the normalised CLS per channel as a bare
/// float32 (5,D) tensor. Sites are batched; the model is loaded only when a site is stale.
/// </summary>
public sealed class FeatureStage : IBatchStage, IDisposable
{
    private readonly BuildConfig config;
    private readonly SiteCatalog catalog;
    private readonly string modelPath;
    private readonly string modelSha256;
    private readonly Lazy<FeatureExtractor> extractor;
    private readonly List<string> messages = [];

    /// <param name="modelSha256">The model file's digest, from the caller's stat cache: knowing it must not load the model.</param>
    public FeatureStage(BuildConfig config, SiteCatalog catalog, string modelSha256)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(modelSha256);
        this.config = config;
        this.catalog = catalog;
        modelPath = config.Extraction.ModelPath ?? throw new ConfigException($"{config.SourceFile}: cpjump.extraction.model_path is not set; the Features target needs an ONNX model.");
        this.modelSha256 = modelSha256;
        extractor = new Lazy<FeatureExtractor>(OpenExtractor);
        Parameters = new StageParameters(new Dictionary<string, string>
        {
            ["model"] = config.Extraction.Model,
            ["model_sha256"] = modelSha256,
            ["input_size"] = config.Extraction.InputSize.ToString(CultureInfo.InvariantCulture),
            ["channels"] = "1,2,3,4,5 each replicated to RGB",
            ["scale"] = "uint16/65535",
            ["resize"] = "bilinear,align_corners=false,antialias=false,torch>=2.0 float32",
            ["normalize"] = "imagenet mean=0.485,0.456,0.406 std=0.229,0.224,0.225 (x-mean)/std",
            ["output"] = "pooler_output (CLS after final LayerNorm), float32 (5,D)",
        });
    }

    public string Name => "features";

    public int RecipeVersion => 1;

    public StageParameters Parameters { get; }

    public int BatchSize => config.Extraction.BatchSize;

    /// <summary>What the run should tell the user (the execution provider chosen, a CPU fallback).</summary>
    public IReadOnlyList<string> Messages => messages;

    /// <summary>True once a stale site made the stage load the model.</summary>
    public bool ModelLoaded => extractor.IsValueCreated;

    public StageItems Discover() =>
        catalog.ItemsFor(site => [new ItemOutput("features", Path.Combine(config.Local.Features, site.Barcode, site.Key + ".pt"))]);

    public object Prepare(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        int size = config.Extraction.InputSize;
        var pixels = new float[SiteImageLoader.Channels * size * size];
        SiteImageLoader.Load(item, context, size, pixels);
        return new SiteTensor(item.Id, pixels, size);
    }

    public void BuildBatch(IReadOnlyList<PreparedItem> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<SiteFeatures> features = extractor.Value.ExtractBatch(batch.Select(prepared => (SiteTensor)prepared.Payload).ToArray());
        for (int index = 0; index < batch.Count; index++)
        {
            PreparedItem prepared = batch[index];
            SiteFeatures site = features[index];
            string stem = Path.GetFileNameWithoutExtension(prepared.Item.Outputs[0].Path);
            prepared.Context.WriteOutput("features", stream => TorchFile.WriteFloat32(stream, stem, [SiteTensor.Channels, site.Width], site.Values));
        }
    }

    public void Build(WorkItem item, IBuildContext context) =>
        BuildBatch([new PreparedItem(item, context, Prepare(item, context))]);

    public void Dispose()
    {
        if (extractor.IsValueCreated)
        {
            extractor.Value.Dispose();
        }
    }

    private FeatureExtractor OpenExtractor()
    {
        FeatureExtractor opened = FeatureExtractor.Open(new FeatureExtractorOptions
        {
            ModelPath = modelPath,
            ModelSha256 = modelSha256,
            Provider = ExecutionProviderParser.Parse(config.Extraction.Device),
            BatchSize = BatchSize,
        });
        if (opened.ImageSize is int size && size != config.Extraction.InputSize)
        {
            opened.Dispose();
            throw new ConfigException($"{config.SourceFile}: cpjump.extraction.input_size is {config.Extraction.InputSize} but {modelPath} takes {size}x{size} images.");
        }

        messages.Add($"features: model {Path.GetFileName(modelPath)} on {opened.Provider}{(opened.ProviderMessage is null ? string.Empty : " - " + opened.ProviderMessage)}");
        return opened;
    }
}
