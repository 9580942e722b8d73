using CellPainting.Stages.Metadata;
using CellPainting.Stages.Splits;
using CellPainting.Stages.Tests.Sample;

namespace CellPainting.Stages.Tests.Splits;

/// <summary>The real experiment metadata and official contexts, built once per test run.</summary>
internal static class SplitsSample
{
    /// <summary>The 11 plates of the batch outside the official 40 (antibiotics, density, Cas9 compound plates).</summary>
    public static readonly IReadOnlyList<string> NonStandardPlates =
        ["BR00117001", "BR00117002", "BR00117008", "BR00117009", "BR00117050", "BR00117051", "BR00117052", "BR00117053", "BR00117054", "BR00117055", "BR00118049"];

    private static readonly Lazy<ExperimentMetadata> LazyExperiments = new(() =>
    {
        var problems = new List<MetadataProblem>();
        var experiments = ExperimentMetadata.Read(CpJump1Sample.ExperimentMetadataPath, problems);
        Assert.That(problems, Is.Empty);
        return experiments;
    });

    private static readonly Lazy<OfficialContextSet> LazyContexts = new(() =>
    {
        var problems = new List<MetadataProblem>();
        var contexts = OfficialContextBuilder.Build(CpJump1Sample.Cache, Experiments, CpJump1Sample.RepresentationExamplePath, problems);
        Assert.That(problems, Is.Empty);
        return contexts;
    });

    public static ExperimentMetadata Experiments => LazyExperiments.Value;

    public static OfficialContextSet Contexts => LazyContexts.Value;

    public static IReadOnlyList<WellKey> AllWells => [.. CpJump1Sample.Cache.Records.Select(r => r.Key)];

    public static IReadOnlyList<WellKey> StandardWells => [.. AllWells.Where(k => !NonStandardPlates.Contains(k.Barcode))];

    public static SplitInputs Inputs(IReadOnlyList<WellKey> index) =>
        new(index, CpJump1Sample.Cache) { OfficialContexts = Contexts, Experiments = Experiments };
}
