using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Tests.Sample;

/// <summary>Paths of the real CPJUMP1 files shipped in src/CellPainting.Stages/Sample, found from the repository root.</summary>
internal static class CpJump1Sample
{
    public const string Batch = "2020_11_04_CPJUMP1";

    /// <summary>The 51 plates of the reference's dataset.yml (= every barcode in barcode_platemap.csv).</summary>
    public static readonly IReadOnlyList<string> Barcodes =
    [
        "BR00116991", "BR00116992", "BR00116993", "BR00116994", "BR00116995", "BR00116996", "BR00116997", "BR00116998",
        "BR00116999", "BR00117000", "BR00117001", "BR00117002", "BR00117003", "BR00117004", "BR00117005", "BR00117006",
        "BR00117008", "BR00117009", "BR00117010", "BR00117011", "BR00117012", "BR00117013", "BR00117015", "BR00117016",
        "BR00117017", "BR00117019", "BR00117020", "BR00117021", "BR00117022", "BR00117023", "BR00117024", "BR00117025",
        "BR00117026", "BR00117050", "BR00117051", "BR00117052", "BR00117053", "BR00117054", "BR00117055", "BR00118039",
        "BR00118040", "BR00118041", "BR00118042", "BR00118043", "BR00118044", "BR00118045", "BR00118046", "BR00118047",
        "BR00118048", "BR00118049", "BR00118050",
    ];

    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    private static readonly Lazy<MetadataCache> FullCache = new(() =>
    {
        var result = MetadataLoader.Load(MetadataInputs.Discover(MetadataDirectory, Batch), Barcodes);
        Assert.That(result.Problems, Is.Empty, "the real metadata must load cleanly");
        return result.Cache;
    });

    public static string RepositoryRoot => Root.Value;

    public static string SampleDirectory => Path.Combine(RepositoryRoot, "src", "CellPainting.Stages", "Sample", "cpjump1-sample");

    /// <summary>The reference's <c>local.metadata</c> layout: platemaps/&lt;batch&gt;/… and external_metadata/….</summary>
    public static string MetadataDirectory => Path.Combine(SampleDirectory, "cpg0000-jump-pilot", "source_4", "workspace", "metadata");

    public static string PlatemapDirectory => Path.Combine(MetadataDirectory, "platemaps", Batch, "platemap");

    public static string CompoundTargetsPath => Path.Combine(MetadataDirectory, "external_metadata", MetadataInputs.CompoundTargetsFileName);

    public static string JumpTargetCompoundPath => Path.Combine(SampleDirectory, "github", "jump-cellpainting", "JUMP-Target", "JUMP-Target-1_compound_metadata.tsv");

    public static string NatureMethodsDirectory => Path.Combine(SampleDirectory, "github", "jump-cellpainting", "2024_Chandrasekaran_NatureMethods");

    public static string ExperimentMetadataPath => Path.Combine(NatureMethodsDirectory, "benchmark", "output", "experiment-metadata.tsv");

    public static string RepresentationExamplePath => Path.Combine(NatureMethodsDirectory, "datasplits", "representation_learning_split_example_1.csv");

    public static string GeneCompoundExamplePath => Path.Combine(NatureMethodsDirectory, "datasplits", "gene_compound_split_example_1.csv");

    /// <summary>The metadata cache of all 51 plates, built once per test run.</summary>
    public static MetadataCache Cache => FullCache.Value;

    /// <summary>Reads a sample TSV/CSV into rows of column → value (no quoting occurs in the files read this way).</summary>
    public static List<Dictionary<string, string>> ReadRows(string path, char delimiter)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(delimiter);
        return [.. lines.Skip(1).Select(line => header.Zip(line.Split(delimiter)).ToDictionary(p => p.First, p => p.Second.Trim('"')))];
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CellPaintingBuild.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CellPaintingBuild.slnx not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
