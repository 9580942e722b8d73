using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Metadata;

/// <summary>
/// Well indexes <c>&lt;features|tensors&gt;/&lt;barcode&gt;/well_index.json</c>: one item per plate and site folder,
/// listing the <c>.pt</c> files in that folder by well with the well's metadata key and perturbation. Each folder gets
/// its own index because the reference dataset reads one folder (features or tensors) and the two can differ when a
/// site failed in one stage only. Inputs: the metadata cache and every <c>.pt</c> file of the folder, so a site file
/// added, removed or rewritten rebuilds the index, and a no-op run only stats them.
/// </summary>
public sealed class WellIndexStage : IStage
{
    public const string FileName = "well_index.json";
    private const string SiteFileExtension = ".pt";
    private const string MetadataInput = "metadata-cache";

    private readonly BuildConfig config;
    private readonly (string Kind, string Root)[] folders;
    private readonly List<string> warnings = [];

    /// <param name="features">
    /// The features folder to index and the name its items go by: <c>("features", local.features)</c>, or a
    /// variant's target name and folder (see FeatureStage), so each variant's index is an item of its own.
    /// </param>
    public WellIndexStage(BuildConfig config, (string Name, string Directory) features)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        folders = [(features.Name, features.Directory), ("tensors", config.Local.Tensors)];
        Parameters = new StageParameters(new Dictionary<string, string>
        {
            ["format"] = WellIndexJson.Format,
        });
    }

    public string Name => "well-index";

    public int RecipeVersion => 1;

    public StageParameters Parameters { get; }

    /// <summary>Warnings of the last build (a well without metadata, a <c>.pt</c> file that is not a site), sorted.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (warnings)
            {
                return [.. warnings.Order(StringComparer.Ordinal)];
            }
        }
    }

    public StageItems Discover()
    {
        string cache = MetadataStage.CachePathFor(config);
        var items = new List<WorkItem>();
        var skipped = new List<ItemProblem>();
        foreach ((string kind, string root) in folders)
        {
            foreach (string barcode in config.Plates.Select(plate => plate.Barcode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                string folder = Path.Combine(root, barcode);
                string id = $"{kind}/{barcode}";
                if (!Directory.Exists(folder))
                {
                    skipped.Add(new ItemProblem(id, barcode, $"no {kind} folder {folder}: the plate has no site files to index"));
                    continue;
                }

                ItemInput[] sites = Directory.EnumerateFiles(folder)
                    .Select(path => Path.GetFileName(path))
                    .Where(name => name.EndsWith(SiteFileExtension, StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                    .Select(name => new ItemInput(name, Path.Combine(folder, name)))
                    .ToArray();
                items.Add(new WorkItem(id, barcode, [new ItemInput(MetadataInput, cache), .. sites], [new ItemOutput("index", Path.Combine(folder, FileName))]));
            }
        }

        return new StageItems(items, [], skipped);
    }

    public void Build(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        ItemInput cacheInput = item.Inputs.Single(input => input.Name == MetadataInput);
        MetadataCache cache = context.ReadInput(MetadataInput, json => MetadataCacheJson.Deserialize(json, cacheInput.Path));
        string folder = Path.GetDirectoryName(item.Outputs[0].Path)!;
        var problems = new List<MetadataProblem>();
        WellIndex index = WellIndexBuilder.Build(item.Group, item.Inputs.Where(input => input != cacheInput).Select(input => input.Name), cache, problems);
        MetadataProblem[] located = problems.Select(problem => problem with { File = folder }).ToArray();
        lock (warnings)
        {
            warnings.AddRange(located.Where(problem => !problem.IsError).Select(problem => problem.ToString()));
        }

        MetadataProblem.ThrowIfAnyError(located);
        byte[] json = WellIndexJson.Serialize(index);
        context.WriteOutput("index", stream => stream.Write(json));
    }
}
