using System.Globalization;
using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Metadata;

/// <summary>
/// The metadata cache <c>&lt;metadata&gt;/cache/&lt;batch&gt;.json</c>: one record per (barcode, well) of every configured
/// plate, from barcode_platemap.csv, the platemaps and the external metadata. One item; rebuilt when any of those
/// files, the plate list or the recipe changes.
/// </summary>
public sealed class MetadataStage : IStage
{
    public const string Group = "metadata";

    private readonly BuildConfig config;
    private readonly List<string> warnings = [];

    public MetadataStage(BuildConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        Parameters = new StageParameters(new Dictionary<string, string>
        {
            ["batch"] = config.Batch,
            ["plates"] = string.Join(' ', Barcodes),
            ["format"] = "cellpainting-metadata-cache/1",
        });
    }

    public string Name => "metadata";

    public int RecipeVersion => 1;

    public StageParameters Parameters { get; }

    /// <summary>Warnings of the last build (a broad_sample in no external table, say); errors fail the item instead.</summary>
    public IReadOnlyList<string> Warnings => warnings;

    public string CachePath => CachePathFor(config);

    public static string CachePathFor(BuildConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Path.Combine(config.Local.Metadata, "cache", config.Batch + ".json");
    }

    private IEnumerable<string> Barcodes => config.Plates.Select(plate => plate.Barcode);

    public StageItems Discover()
    {
        // Files that are absent are not inputs: the loader reports them (an error or, for an external table, a warning).
        ItemInput[] inputs = MetadataInputs.Discover(config.Local.Metadata, config.Batch).Files
            .Where(File.Exists)
            .Select(path => new ItemInput(Path.GetRelativePath(config.Local.Metadata, path).Replace('\\', '/'), path))
            .ToArray();
        var item = new WorkItem($"{Group}/{config.Batch}", Group, inputs, [new ItemOutput("cache", CachePath)]);
        return new StageItems([item], [], []);
    }

    public void Build(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        MetadataBuildResult result = MetadataLoader.Load(MetadataInputs.Discover(config.Local.Metadata, config.Batch), Barcodes);
        lock (warnings)
        {
            warnings.Clear();
            warnings.AddRange(result.Problems.Where(problem => !problem.IsError).Select(problem => problem.ToString()));
        }

        MetadataProblem.ThrowIfAnyError(result.Problems);

        byte[] json = MetadataCacheJson.Serialize(result.Cache);
        context.WriteOutput("cache", stream => stream.Write(json));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({config.Batch})");
}
