using System.Globalization;
using CellPainting.Engine.IO;
using CellPainting.Engine.Items;
using CellPainting.Engine.State;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Sample;
using CellPainting.Stages.Sites;

namespace CellPainting.Stages.Splits;

/// <summary>
/// Split files <c>&lt;splits&gt;/&lt;strategy&gt;.csv</c>, one item per configured strategy, over the dataset's wells
/// (those with at least one complete site). Inputs: the metadata cache, the CPJUMP1 experiment metadata and the
/// official representation example split (real public files shipped in this repository).
/// </summary>
public sealed class SplitsStage : IStage
{
    public const string Group = "splits";
    private const string ExperimentsResource = "github/jump-cellpainting/2024_Chandrasekaran_NatureMethods/benchmark/output/experiment-metadata.tsv";
    private const string ExampleResource = "github/jump-cellpainting/2024_Chandrasekaran_NatureMethods/datasplits/representation_learning_split_example_1.csv";

    private readonly BuildConfig config;
    private readonly SiteCatalog catalog;
    private readonly Lazy<WellKey[]> datasetIndex;
    private readonly Lazy<StageParameters> parameters;

    public SplitsStage(BuildConfig config, SiteCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        this.config = config;
        this.catalog = catalog;
        datasetIndex = new Lazy<WellKey[]>(() => catalog.Plates
            .SelectMany(plate => plate.Sites.Select(site => new WellKey(site.Barcode, site.Key.Well)))
            .Distinct()
            .Order()
            .ToArray());
        parameters = new Lazy<StageParameters>(() => new StageParameters(new Dictionary<string, string>
        {
            ["val_fraction"] = config.Splits.ValFraction.ToString("R", CultureInfo.InvariantCulture),
            ["seed"] = config.Splits.Seed.ToString(CultureInfo.InvariantCulture),
            ["missing_context"] = config.Splits.SkipWellsWithoutContext ? "skip" : "fail",
            ["dataset_wells"] = datasetIndex.Value.Length.ToString(CultureInfo.InvariantCulture),
            ["dataset_index"] = ContentHash.OfText(string.Join('\n', datasetIndex.Value)),
        }));
    }

    public string Name => "splits";

    public int RecipeVersion => 1;

    /// <summary>The dataset index (which wells exist) is a parameter: a well gaining its first site re-splits.</summary>
    public StageParameters Parameters => parameters.Value;

    private string ReferenceDirectory => Path.Combine(config.Local.Metadata, "reference");

    public StageItems Discover()
    {
        string experiments = EnsureReferenceFile(ExperimentsResource);
        string example = EnsureReferenceFile(ExampleResource);
        ItemInput[] inputs =
        [
            new("metadata-cache", MetadataStage.CachePathFor(config)),
            new("experiment-metadata", experiments),
            new("representation-example", example),
        ];
        WorkItem[] items = config.Splits.Strategies
            .Select(strategy => new WorkItem($"{Group}/{strategy}", Group, inputs, [new ItemOutput("split", Path.Combine(config.Local.Splits, strategy + ".csv"))]))
            .ToArray();
        // Splits cover the wells of every plate: with a plate unreadable they would silently leave its wells out.
        PlateScan[] unscanned = catalog.Plates.Where(plate => plate.Error is not null).ToArray();
        if (unscanned.Length > 0)
        {
            string why = $"cannot split without plate(s) {string.Join(", ", unscanned.Select(plate => $"{plate.Barcode} ({plate.Error})"))}; the split files and their lock entries are kept as they were";
            return new StageItems([], items.Select(item => new ItemProblem(item.Id, Group, why) { WholeGroup = true }).ToArray(), []);
        }

        return new StageItems(items, [], []);
    }

    public void Build(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        SplitStrategy strategy = SplitStrategyNames.Parse(item.Id[(Group.Length + 1)..]);
        var problems = new List<MetadataProblem>();
        MetadataCache cache = context.ReadInput("metadata-cache", json => MetadataCacheJson.Deserialize(json, item.Inputs[0].Path));
        ExperimentMetadata experiments = ExperimentMetadata.Read(item.Inputs[1].Path, problems);
        OfficialContextSet contexts = OfficialContextBuilder.Build(cache, experiments, item.Inputs[2].Path, problems);
        SplitResult result = SplitPlanner.Plan(strategy, new SplitInputs(datasetIndex.Value, cache)
        {
            OfficialContexts = contexts,
            Experiments = experiments,
            Parameters = new SplitParameters(config.Splits.ValFraction, config.Splits.Seed),
            MissingContext = config.Splits.SkipWellsWithoutContext ? MissingContextPolicy.SkipWellsWithoutContext : MissingContextPolicy.Fail,
        });
        MetadataProblem.ThrowIfAnyError(problems.Concat(result.Problems));

        byte[] csv = SplitManifestCsv.Serialize(result.Rows);
        context.WriteOutput("split", stream => stream.Write(csv));
    }

    /// <summary>The shipped reference files are written next to the metadata when missing, so they can be hashed as inputs.</summary>
    private string EnsureReferenceFile(string resource)
    {
        string path = Path.Combine(ReferenceDirectory, resource["github/".Length..]);
        if (!File.Exists(path))
        {
            AtomicFile.WriteAllBytes(path, SampleResources.Read(resource));
        }

        return path;
    }
}
