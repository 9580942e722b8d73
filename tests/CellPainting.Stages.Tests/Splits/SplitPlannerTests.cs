using System.Security.Cryptography;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Splits;
using CellPainting.Stages.Tests.Sample;

namespace CellPainting.Stages.Tests.Splits;

public sealed class SplitPlannerTests
{
    private static SplitResult Plan(SplitStrategy strategy, SplitInputs inputs)
    {
        var result = SplitPlanner.Plan(strategy, inputs);
        Assert.That(result.HasErrors, Is.False, string.Join("\n", result.Problems));
        return result;
    }

    private static Dictionary<(string, string, string, string), string> ExampleSplit() =>
        CpJump1Sample.ReadRows(CpJump1Sample.RepresentationExamplePath, ',').ToDictionary(
            r => (r["Metadata_broad_sample"], r["Metadata_cell_line"], r["Metadata_timepoint"], r["Metadata_experiment_type"]),
            r => r["Metadata_split"]);

    [Test]
    public void TheRepresentationSplitOfThe40StandardPlatesEqualsTheOfficialExample()
    {
        var result = Plan(SplitStrategy.Cpjump1OfficialRepresentation, SplitsSample.Inputs(SplitsSample.StandardWells));
        var example = ExampleSplit();

        Assert.That(result.Problems, Is.Empty);
        var treated = SplitsSample.StandardWells.Count(k => !CpJump1Sample.Cache.Lookup(k).IsControlOrEmpty);
        Assert.That(result.Rows, Has.Count.EqualTo(treated));
        var differing = result.Rows
            .Where(r => example[(r.MetadataBroadSample, r.MetadataCellLine, r.MetadataTimepoint, r.MetadataExperimentType)] != r.Subset)
            .ToList();
        Assert.That(differing, Is.Empty);
        Assert.That(result.Rows.Select(r => r.Subset).Distinct(), Is.EquivalentTo(new[] { "train", "validate", "test" }));
    }

    [Test]
    public void ControlsAndEmptyWellsAreNeverAssigned()
    {
        foreach (var strategy in Enum.GetValues<SplitStrategy>())
        {
            var result = Plan(strategy, SplitsSample.Inputs(SplitsSample.StandardWells));

            Assert.That(result.Rows.Where(r => CpJump1Sample.Cache.Lookup(new WellKey(r.MetadataPlate, r.MetadataWell)).IsControlOrEmpty), Is.Empty, strategy.ToName());
            Assert.That(result.Rows.All(r => r.SplitStrategy == strategy.ToName()), Is.True);
        }
    }

    [Test]
    public void RowsFollowTheSortedDatasetIndexWhateverOrderItIsGivenIn()
    {
        var shuffled = SplitsSample.StandardWells.Reverse().ToList();

        var result = Plan(SplitStrategy.PertType, SplitsSample.Inputs(shuffled));

        Assert.That(result.Rows.Select(r => new WellKey(r.MetadataPlate, r.MetadataWell)), Is.Ordered);
    }

    [Test]
    public void OfficialStrategiesFailForWellsWithoutContextNamingPlatesAndWells()
    {
        var result = SplitPlanner.Plan(SplitStrategy.Cpjump1OfficialRepresentation, SplitsSample.Inputs(SplitsSample.AllWells));

        Assert.That(result.Rows, Is.Empty);
        var error = result.Problems.Single();
        Assert.That(error.IsError, Is.True);
        Assert.That(error.Message, Does.StartWith("4224 dataset well(s) on plates BR00117001 (384), BR00117002 (384), BR00117008 (384)"));
        Assert.That(error.Message, Does.Contain("BR00118049 (384) have no official split metadata in "));
        Assert.That(error.Message, Does.Contain(": BR00117001/A01, BR00117001/A02, BR00117001/A03, BR00117001/A04, BR00117001/A05, …; restrict"));
    }

    [Test]
    public void SkippingWellsWithoutContextWarnsAndSplitsTheRest()
    {
        var inputs = SplitsSample.Inputs(SplitsSample.AllWells) with { MissingContext = MissingContextPolicy.SkipWellsWithoutContext };

        var result = Plan(SplitStrategy.Cpjump1OfficialGeneCompound, inputs);

        Assert.That(result.Problems.Single().Severity, Is.EqualTo(MetadataProblemSeverity.Warning));
        Assert.That(result.Problems.Single().Message, Does.Contain("they are left out of the split"));
        Assert.That(result.Rows, Is.EqualTo(Plan(SplitStrategy.Cpjump1OfficialGeneCompound, SplitsSample.Inputs(SplitsSample.StandardWells)).Rows));
    }

    [Test]
    public void TheGeneCompoundSplitRanks160TargetsAndAgreesWithTheUpstreamExampleOn68()
    {
        var result = Plan(SplitStrategy.Cpjump1OfficialGeneCompound, SplitsSample.Inputs(SplitsSample.StandardWells));

        var subsetOf = result.Rows.GroupBy(r => r.MetadataTarget).ToDictionary(g => g.Key, g => g.Select(r => r.Subset).Distinct().Single());
        Assert.That(subsetOf, Has.Count.EqualTo(160));
        Assert.That(subsetOf.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count()), Is.EqualTo(new Dictionary<string, int> { ["train"] = 96, ["validate"] = 32, ["test"] = 32 }));
        var upstream = CpJump1Sample.ReadRows(CpJump1Sample.GeneCompoundExamplePath, ',')
            .GroupBy(r => r["Metadata_target"])
            .ToDictionary(g => g.Key, g => g.Select(r => r["Metadata_split"]).Distinct().Single());
        Assert.That(upstream.Keys, Is.EquivalentTo(subsetOf.Keys));
        Assert.That(subsetOf.Count(t => upstream[t.Key] == t.Value), Is.EqualTo(68));
    }

    [Test]
    public void PertTypeKeepsEveryBroadSampleInOneSubsetOnAllPlates()
    {
        var result = Plan(SplitStrategy.PertType, SplitsSample.Inputs(SplitsSample.AllWells));

        Assert.That(result.Rows.GroupBy(r => r.MetadataBroadSample).Where(g => g.Select(r => r.Subset).Distinct().Count() > 1), Is.Empty);
        Assert.That(result.Rows.Where(r => r.MetadataBroadSample == "BRD-A86665761-001-01-1").Select(r => r.Subset).Distinct(), Is.EqualTo(new[] { "train" }));
        Assert.That(result.Rows.Select(r => r.MetadataPlate).Distinct().Count(), Is.EqualTo(51));
    }

    [Test]
    public void WellsWithoutContextKeepEmptyContextColumnsAndTakeTheirTargetFromMetadata()
    {
        var result = Plan(SplitStrategy.PertType, SplitsSample.Inputs([new("BR00118049", "A01"), new("BR00117050", "A01"), new("BR00117006", "A01")]));

        Assert.That(result.Rows, Is.EqualTo(new[]
        {
            new SplitManifestRow("pert_type", result.Rows[0].Subset, "BR00117006", "A01", "ccsbBroad304_00900", "A549", "ORF", "96", "high", "KCNN1"),
            new SplitManifestRow("pert_type", result.Rows[1].Subset, "BR00117050", "A01", "BRD-A86665761-001-01-1", "", "", "", "", "CACNB4"),
            new SplitManifestRow("pert_type", result.Rows[2].Subset, "BR00118049", "A01", "ccsbBroad304_00900", "", "", "", "", "KCNN1"),
        }));
    }

    [Test]
    public void CellclipSendsTheFirstThreeQuartersOfEachSlicesSamplesToTrainAndNoneToValidate()
    {
        var result = Plan(SplitStrategy.CellclipCpjumpStyle, SplitsSample.Inputs(SplitsSample.AllWells));

        Assert.That(result.Rows.Any(r => r.Subset == "validate"), Is.False);
        var slices = result.Rows.GroupBy(r =>
        {
            Assert.That(SplitsSample.Experiments.TryGetPlate(r.MetadataPlate, out var plate), Is.True);
            return (plate!.CellType, plate.Time, plate.Perturbation);
        });
        foreach (var slice in slices)
        {
            var samples = slice.GroupBy(r => r.MetadataBroadSample).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var trainSize = (int)(0.75 * samples.Count);
            var expected = samples.Select((g, i) => i < trainSize ? "train" : "test");
            Assert.That(samples.Select(g => g.Select(r => r.Subset).Distinct().Single()), Is.EqualTo(expected), slice.Key.ToString());
        }
    }

    [Test]
    public void CellclipFailsForPlatesMissingFromTheExperimentMetadata()
    {
        var inputs = SplitsSample.Inputs([new("BR00116991", "A01"), new("XX00000001", "A01")]);

        var result = SplitPlanner.Plan(SplitStrategy.CellclipCpjumpStyle, inputs);

        Assert.That(result.Problems.Where(p => p.IsError).Select(p => p.Message), Has.One.StartsWith("1 dataset well(s) on plates XX00000001 (1) have no a plate row in"));
    }

    [Test]
    public void ADuplicateDatasetEntryIsAnError()
    {
        var result = SplitPlanner.Plan(SplitStrategy.PertType, SplitsSample.Inputs([new("BR00116991", "A01"), new("BR00116991", "A01")]));

        Assert.That(result.Problems.Single().Message, Is.EqualTo("the dataset index lists 1 well(s) more than once: BR00116991/A01"));
    }

    [Test]
    public void DatasetWellsWithoutMetadataAreLeftOutWithAWarning()
    {
        var result = SplitPlanner.Plan(SplitStrategy.PertType, SplitsSample.Inputs([new("BR00116991", "A01"), new("XX00000001", "B02")]));

        Assert.That(result.Rows.Select(r => r.MetadataPlate), Is.EqualTo(new[] { "BR00116991" }));
        Assert.That(result.Problems.Single().Message, Does.StartWith("1 dataset well(s) are not in the metadata cache"));
    }

    [Test]
    public void OfficialStrategiesNeedTheContexts()
    {
        var inputs = SplitsSample.Inputs([new("BR00116991", "A01")]) with { OfficialContexts = null };

        var result = SplitPlanner.Plan(SplitStrategy.Cpjump1OfficialRepresentation, inputs);

        Assert.That(result.Problems.Single().Message, Is.EqualTo("cpjump1_official_representation needs the official well contexts, which were not given"));
    }

    [Test]
    public void WithoutContextsOtherStrategiesWarnThatContextColumnsAreEmpty()
    {
        var inputs = SplitsSample.Inputs([new("BR00116991", "A01")]) with { OfficialContexts = null };

        var result = Plan(SplitStrategy.PertType, inputs);

        Assert.That(result.Problems.Single().Severity, Is.EqualTo(MetadataProblemSeverity.Warning));
        Assert.That(result.Rows.Single().MetadataCellLine, Is.EqualTo(""));
    }

    [TestCase(SplitStrategy.PertType)]
    [TestCase(SplitStrategy.Cpjump1OfficialRepresentation)]
    [TestCase(SplitStrategy.Cpjump1OfficialGeneCompound)]
    [TestCase(SplitStrategy.CellclipCpjumpStyle)]
    public void AManifestOfSixPlatesMatchesItsGoldenFileByteForByte(SplitStrategy strategy)
    {
        string[] plates = ["BR00116991", "BR00117017", "BR00117000", "BR00118041", "BR00117006", "BR00117020"];
        var index = plates.SelectMany(p => WellPosition.All.Where(w => w[0] is 'A' or 'B').Select(w => new WellKey(p, w))).ToList();

        var bytes = SplitManifestCsv.Serialize(Plan(strategy, SplitsSample.Inputs(index)).Rows);

        GoldenFile.AssertMatches(Path.Combine("Splits", "Golden", $"{strategy.ToName()}.csv"), bytes);
    }

    [TestCase(SplitStrategy.PertType, "10ada4974e6b8a9f197285fe3c8ac891c71261ef0d1a5414a3a066b300e5d86e")]
    [TestCase(SplitStrategy.Cpjump1OfficialRepresentation, "b7d8f5063b040b87ad9375e8fde78bd43c6befc602f141396835678eb15dbe09")]
    [TestCase(SplitStrategy.Cpjump1OfficialGeneCompound, "50a3b59e3dfa8eba09e504b4690b2dbb550fce770a3b6547806e35e7da3c82e9")]
    [TestCase(SplitStrategy.CellclipCpjumpStyle, "0239491344e5e258ca10b4334f4a05287dae2daa48778652a768ecbf57fabf84")]
    // Pins computed independently by a Python transcription of the reference (§10, §13) on the same files.
    public void TheManifestOfAll51PlatesHasPinnedBytes(SplitStrategy strategy, string sha256)
    {
        var inputs = SplitsSample.Inputs(SplitsSample.AllWells) with { MissingContext = MissingContextPolicy.SkipWellsWithoutContext };

        var bytes = SplitManifestCsv.Serialize(Plan(strategy, inputs).Rows);

        Assert.That(Convert.ToHexStringLower(SHA256.HashData(bytes)), Is.EqualTo(sha256));
    }
}
