using System.Diagnostics;
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
/// float32 (5,D) tensor. Sites are batched; the model is loaded only when a site is stale. With the variant layout
/// the features go to <c>features/&lt;variant&gt;/&lt;barcode&gt;/</c> and the stage is a target of its own,
/// <c>features-&lt;variant&gt;</c>, so variants keep separate build logs and lock sections and never displace each other.
/// </summary>
public sealed class FeatureStage : IBatchStage, IDisposable
{
    private const int VariantHashLength = 8;

    private readonly BuildConfig config;
    private readonly SiteCatalog catalog;
    private readonly string modelPath;
    private readonly Lazy<FeatureExtractor> extractor;
    private readonly List<string> messages = [];
    private readonly SiteLoadClock loadClock = new();
    private long modelLoadTicks;
    private long writeTicks;

    /// <param name="modelSha256">The model file's digest, from the caller's stat cache: knowing it must not load or re-read the model.</param>
    public FeatureStage(BuildConfig config, SiteCatalog catalog, string modelSha256)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(modelSha256);
        this.config = config;
        this.catalog = catalog;
        modelPath = config.Extraction.ModelPath ?? throw new ConfigException($"{config.SourceFile}: cpjump.extraction.model_path is not set; the Features target needs an ONNX model.");
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
        VariantName = VariantOf(config.Extraction.Model, Parameters);
        Variant = config.Extraction.VariantLayout ? VariantName : null;
        Name = Variant is null ? "features" : $"features-{Variant}";
        OutputDirectory = Variant is null ? config.Local.Features : Path.Combine(config.Local.Features, Variant);
    }

    /// <summary><c>features</c>, or <c>features-&lt;variant&gt;</c> with the variant layout.</summary>
    public string Name { get; }

    /// <summary>
    /// With the variant layout, the directory under <c>local.features</c>: the model name's last path segment and
    /// the first hex digits of the parameters' digest (model digest, input size, preprocessing); else null.
    /// </summary>
    public string? Variant { get; }

    /// <summary>The variant's name whatever the layout: what the Gallery tree names these features by.</summary>
    public string VariantName { get; }

    /// <summary>The folder holding the <c>&lt;barcode&gt;/rRRcCCfFF.pt</c> files: <c>local.features</c>, or its variant folder.</summary>
    public string OutputDirectory { get; }

    /// <remarks>
    /// 2: ONNX Runtime 1.31 from NuGet (was 1.29). Its CPU kernels round differently (features move by ~1e-6), so
    /// features made by 1.29 are rebuilt instead of being kept under hashes this build cannot reproduce.
    /// </remarks>
    public int RecipeVersion => 2;

    public StageParameters Parameters { get; }

    public int BatchSize => config.Extraction.BatchSize;

    /// <summary>What the run should tell the user (the execution provider chosen, a CPU fallback).</summary>
    public IReadOnlyList<string> Messages => messages;

    /// <summary>True once a stale site made the stage load the model.</summary>
    public bool ModelLoaded => extractor.IsValueCreated;

    /// <summary>Where this run's time went so far.</summary>
    public FeatureTimeSplit Time => new(
        loadClock.Decode,
        loadClock.Decoded,
        loadClock.Resize,
        Stopwatch.GetElapsedTime(0, Volatile.Read(ref modelLoadTicks)),
        extractor.IsValueCreated ? extractor.Value.Timings : FeatureTimings.None,
        Stopwatch.GetElapsedTime(0, Volatile.Read(ref writeTicks)));

    public StageItems Discover() => catalog.ItemsFor(OutputsOf);

    /// <summary>A plate's sites at a time, as the tensors' parts: run together, the two stages share each plate's scan and sites.</summary>
    public IEnumerable<StageItems> DiscoverParts() => catalog.ItemsByPlate(OutputsOf);

    public object Prepare(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        int size = config.Extraction.InputSize;
        var pixels = new float[SiteImageLoader.Channels * size * size];
        SiteImageLoader.Load(item, context, size, pixels, loadClock);
        return new SiteTensor(item.Id, pixels, size);
    }

    public void BuildBatch(IReadOnlyList<PreparedItem> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<SiteFeatures> features = extractor.Value.ExtractBatch(batch.Select(prepared => (SiteTensor)prepared.Payload).ToArray());
        long start = Stopwatch.GetTimestamp();
        for (int index = 0; index < batch.Count; index++)
        {
            PreparedItem prepared = batch[index];
            SiteFeatures site = features[index];
            string stem = Path.GetFileNameWithoutExtension(prepared.Item.Outputs[0].Path);
            prepared.Context.WriteOutput("features", stream => TorchFile.WriteFloat32(stream, stem, [SiteTensor.Channels, site.Width], site.Values));
        }

        Interlocked.Add(ref writeTicks, Stopwatch.GetTimestamp() - start);
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

    /// <summary>"dinov3-vits16-pretrain-lvd1689m-1a2b3c4d" for model "facebook/dinov3-vits16-pretrain-lvd1689m".</summary>
    private static string VariantOf(string model, StageParameters parameters)
    {
        string name = model[(model.LastIndexOf('/') + 1)..];
        string safe = string.Concat(name.Select(character => char.IsAsciiLetterOrDigit(character) || character is '.' or '_' or '-' ? character : '-'));
        return $"{(safe.Length == 0 ? "model" : safe)}-{parameters.Digest[..VariantHashLength]}";
    }

    private IReadOnlyList<ItemOutput> OutputsOf(DiscoveredSite site) => [new ItemOutput("features", Path.Combine(OutputDirectory, site.Barcode, site.Key + ".pt"))];

    private FeatureExtractor OpenExtractor()
    {
        long start = Stopwatch.GetTimestamp();
        FeatureExtractor opened = FeatureExtractor.Open(new FeatureExtractorOptions
        {
            ModelPath = modelPath,
            Provider = ExecutionProviderParser.Parse(config.Extraction.Device),
            BatchSize = BatchSize,
        });
        if (opened.ImageSize is int size && size != config.Extraction.InputSize)
        {
            opened.Dispose();
            throw new ConfigException($"{config.SourceFile}: cpjump.extraction.input_size is {config.Extraction.InputSize} but {modelPath} takes {size}x{size} images.");
        }

        Interlocked.Add(ref modelLoadTicks, Stopwatch.GetTimestamp() - start);
        messages.Add($"features: model {Path.GetFileName(modelPath)} on {opened.Provider}{(opened.ProviderMessage is null ? string.Empty : " - " + opened.ProviderMessage)}");
        return opened;
    }
}
