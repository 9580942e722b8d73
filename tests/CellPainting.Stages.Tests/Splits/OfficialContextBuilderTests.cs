using CellPainting.Stages.Metadata;
using CellPainting.Stages.Splits;
using CellPainting.Stages.Tests.Sample;

namespace CellPainting.Stages.Tests.Splits;

public sealed class OfficialContextBuilderTests
{
    private readonly List<string> temporaryFiles = [];

    [TearDown]
    public void DeleteTemporaryFiles() => temporaryFiles.ForEach(File.Delete);

    private static OfficialWellContext Context(string barcode, string well)
    {
        Assert.That(SplitsSample.Contexts.TryGet(new WellKey(barcode, well), out var context), Is.True, $"{barcode}/{well} has no context");
        return context!;
    }

    [Test]
    public void EveryWellOfThe40StandardPlatesGetsAContext()
    {
        Assert.That(SplitsSample.Contexts.Count, Is.EqualTo(40 * 384));
        Assert.That(SplitsSample.StandardWells.All(k => SplitsSample.Contexts.TryGet(k, out _)), Is.True);
    }

    [Test]
    public void TheElevenNonStandardPlatesGetNone()
    {
        Assert.That(SplitsSample.NonStandardPlates.Where(p => SplitsSample.Contexts.TryGet(new WellKey(p, "A01"), out _)), Is.Empty);
    }

    [Test]
    public void BR00116991A01IsA549CompoundAt24HoursLowTargetingCACNB4()
    {
        Assert.That(Context("BR00116991", "A01"), Is.EqualTo(new OfficialWellContext(
            new WellKey("BR00116991", "A01"), "BRD-A86665761-001-01-1", "CACNB4", "A549", "Compound", 24, "low", true, 67)));
    }

    [Test]
    public void DmsoWellsAreNamedDmsoWithAnEmptyTargetAndRadix7()
    {
        Assert.That(Context("BR00116991", "A02"), Is.EqualTo(new OfficialWellContext(
            new WellKey("BR00116991", "A02"), "DMSO", "", "A549", "Compound", 24, "low", false, 7)));
    }

    [Test]
    public void EmptyGeneticWellsAreNamedEmptyWithTargetEmpty()
    {
        var context = Context("BR00117000", "E01");

        Assert.That((context.BroadSample, context.Target, context.TargetRadix, context.TargetIsAcross), Is.EqualTo(("empty", "empty", (int?)144, false)));
    }

    [Test]
    public void NinetySixHoursIsHighForOrfButLowForCrispr()
    {
        Assert.That((Context("BR00117006", "A01").ExperimentType, Context("BR00117006", "A01").Timepoint, Context("BR00117006", "A01").TimepointCode), Is.EqualTo(("ORF", 96, "high")));
        Assert.That((Context("BR00118041", "A01").ExperimentType, Context("BR00118041", "A01").Timepoint, Context("BR00118041", "A01").TimepointCode), Is.EqualTo(("CRISPR", 96, "low")));
        Assert.That(Context("BR00117000", "A01").TimepointCode, Is.EqualTo("high"));
        Assert.That(Context("BR00117017", "A01").TimepointCode, Is.EqualTo("high"));
    }

    [Test]
    public void TheExampleFileTargetAgreesWithTheMetadataTargetOfEveryTreatedWell()
    {
        var disagreements = CpJump1Sample.Cache.Records
            .Where(r => !r.Info.IsControlOrEmpty && r.Info.NegconControlType.Length == 0 && SplitsSample.Contexts.TryGet(r.Key, out _))
            .Select(r =>
            {
                SplitsSample.Contexts.TryGet(r.Key, out var context);
                var fromMetadata = r.Info.PertType == PerturbationType.Compound ? r.Info.TargetList : r.Info.Gene;
                return (r.Key, context!.Target, fromMetadata);
            })
            .Where(t => t.Target != t.fromMetadata)
            .ToList();

        Assert.That(disagreements, Is.Empty);
    }

    [Test]
    public void CrisprNegativeControlGuidesTakeTheirSiteKindAsTarget()
    {
        var guide = CpJump1Sample.Cache.Records.First(r => r.Key.Barcode == "BR00117000" && r.Info.NegconControlType.StartsWith("ONE_INTERGENIC_SITE", StringComparison.Ordinal));

        Assert.That(Context(guide.Key.Barcode, guide.Key.Well).Target, Is.EqualTo("ONE_INTERGENIC_SITE"));
    }

    [Test]
    public void AWellTheExampleFileCannotPlaceIsAnErrorNamingTheWells()
    {
        var example = CopyOfExample(lines => lines.Where(l => !l.StartsWith("BRD-A86665761-001-01-1,A549,24,", StringComparison.Ordinal)));
        var problems = new List<MetadataProblem>();

        var contexts = OfficialContextBuilder.Build(CpJump1Sample.Cache, SplitsSample.Experiments, example, problems);

        var error = problems.Single();
        Assert.That(error.IsError, Is.True);
        Assert.That(error.File, Is.EqualTo(example));
        Assert.That(error.Message, Does.StartWith("4 well(s) of Standard plates have no row in the official example split: BR00116991/A01 (BRD-A86665761-001-01-1, A549, 24 h, Compound);"));
        Assert.That(contexts.Count, Is.EqualTo((40 * 384) - 4));
    }

    [Test]
    public void ATimepointCodeThatDisagreesWithThePlatesIsAnError()
    {
        var example = CopyOfExample(lines => lines.Select(l => l.Replace("BRD-A86665761-001-01-1,A549,24,Compound,CACNB4,low", "BRD-A86665761-001-01-1,A549,24,Compound,CACNB4,high", StringComparison.Ordinal)));
        var problems = new List<MetadataProblem>();

        OfficialContextBuilder.Build(CpJump1Sample.Cache, SplitsSample.Experiments, example, problems);

        Assert.That(problems.Single().Message, Does.Contain("BR00116991/A01").And.Contain("file says high, plates say low"));
    }

    [Test]
    public void AMissingExampleFileIsAnError()
    {
        var problems = new List<MetadataProblem>();

        var contexts = OfficialContextBuilder.Build(CpJump1Sample.Cache, SplitsSample.Experiments, "/nonexistent/example.csv", problems);

        Assert.That(problems.Single().ToString(), Is.EqualTo("/nonexistent/example.csv: error: official example split file not found"));
        Assert.That(contexts.Count, Is.Zero);
    }

    [Test]
    public void ExperimentMetadataWithoutStandardPlatesOfTheBatchIsAnError()
    {
        var problems = new List<MetadataProblem>();
        var cache = new MetadataCache("2099_01_01_OTHER", CpJump1Sample.Cache.Records);

        OfficialContextBuilder.Build(cache, SplitsSample.Experiments, CpJump1Sample.RepresentationExamplePath, problems);

        Assert.That(problems.Single().Message, Does.StartWith("no Standard plate"));
    }

    private string CopyOfExample(Func<IEnumerable<string>, IEnumerable<string>> edit)
    {
        var path = Path.Combine(Path.GetTempPath(), $"example-{Guid.NewGuid():N}.csv");
        temporaryFiles.Add(path);
        File.WriteAllLines(path, edit(File.ReadAllLines(CpJump1Sample.RepresentationExamplePath)));
        return path;
    }
}
