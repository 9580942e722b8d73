using CellPainting.Stages.Metadata;
using CellPainting.Stages.Splits;

namespace CellPainting.Stages.Tests.Splits;

public sealed class ExperimentMetadataTests
{
    private static ExperimentMetadata Parse(string tsv, List<MetadataProblem> problems) =>
        ExperimentMetadata.FromTable(DelimitedTableReader.Parse(tsv, '\t', "e.tsv", problems), problems);

    [Test]
    public void TheRealFileDescribesEveryConfiguredPlate()
    {
        Assert.That(SplitsSample.Experiments.Plates, Has.Count.EqualTo(117));
        Assert.That(SplitsSample.Experiments.TryGetPlate("BR00116991", out var plate), Is.True);
        Assert.That((plate!.CellType, plate.Time, plate.Perturbation, plate.CellLine), Is.EqualTo(("A549", 24, "compound", "Parental")));
    }

    [Test]
    public void ARowLackingARequiredValueIsSkippedWithAWarning()
    {
        var problems = new List<MetadataProblem>();

        var experiments = Parse("Assay_Plate_Barcode\tCell_type\tPerturbation\tTime\nP1\t\tcompound\t24\nP2\tA549\torf\t48\n", problems);

        Assert.That(experiments.Plates.Select(p => p.Barcode), Is.EqualTo(new[] { "P2" }));
        Assert.That(problems.Single().ToString(), Is.EqualTo("e.tsv:2: warning: row skipped: Cell_type is empty"));
    }

    [Test]
    public void ATimeThatIsNotANumberIsAnError()
    {
        var problems = new List<MetadataProblem>();

        Parse("Assay_Plate_Barcode\tCell_type\tPerturbation\tTime\nP1\tA549\tcompound\t24h\n", problems);

        Assert.That(problems.Single().ToString(), Is.EqualTo("e.tsv:2: error: Time '24h' is not a whole number of hours"));
    }

    [Test]
    public void AMissingRequiredColumnIsAnError()
    {
        var problems = new List<MetadataProblem>();

        Parse("Assay_Plate_Barcode\tCell_type\tTime\nP1\tA549\t24\n", problems);

        Assert.That(problems.Single().Message, Does.StartWith("missing required column 'Perturbation'"));
    }

    [Test]
    public void APlateDescribedTwiceDifferentlyWarnsAndTheLaterRowWins()
    {
        var problems = new List<MetadataProblem>();

        var experiments = Parse("Assay_Plate_Barcode\tCell_type\tPerturbation\tTime\nP1\tA549\torf\t48\nP1\tA549\torf\t96\n", problems);

        Assert.That(experiments.TryGetPlate("P1", out var plate), Is.True);
        Assert.That(plate!.Time, Is.EqualTo(96));
        Assert.That(problems.Single().Line, Is.EqualTo(3));
    }
}
