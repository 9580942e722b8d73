using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class MetadataLoaderProblemTests
{
    private static MetadataProblem Single(MetadataBuildResult result, MetadataProblemSeverity severity) =>
        result.Problems.Single(p => p.Severity == severity);

    [Test]
    public void AConfiguredBarcodeMissingFromBarcodePlatemapIsAnErrorNamingTheFile()
    {
        using var tree = new MetadataTree();

        var result = tree.Load("BR00116991", "BR99999999");

        var error = Single(result, MetadataProblemSeverity.Error);
        Assert.That(error.File, Is.EqualTo(tree.BarcodePlatemapPath));
        Assert.That(error.Message, Does.Contain("BR99999999"));
        Assert.That(result.Cache.Records.Select(r => r.Key.Barcode).Distinct(), Is.EqualTo(new[] { "BR00116991" }));
    }

    [Test]
    public void APlatemapNameWithoutAFileIsAnErrorAtItsBarcodePlatemapLine()
    {
        using var tree = new MetadataTree();
        tree.Edit(tree.BarcodePlatemapPath, "BR00117006,JUMP-Target-1_orf_platemap", "BR00117006,JUMP-Target-9_orf_platemap");

        var result = tree.Load("BR00117006");

        var error = Single(result, MetadataProblemSeverity.Error);
        Assert.That(error.File, Is.EqualTo(tree.BarcodePlatemapPath));
        Assert.That(error.Line, Is.EqualTo(2));
        Assert.That(error.Message, Does.Contain("JUMP-Target-9_orf_platemap").And.Contain("BR00117006"));
    }

    [Test]
    public void AMissingBarcodePlatemapFileIsAnError()
    {
        using var tree = new MetadataTree();
        File.Delete(tree.BarcodePlatemapPath);

        var result = tree.Load("BR00116991");

        Assert.That(Single(result, MetadataProblemSeverity.Error).File, Is.EqualTo(tree.BarcodePlatemapPath));
        Assert.That(result.Cache.Records, Is.Empty);
    }

    [Test]
    public void AMissingRequiredPlatemapColumnIsAnErrorAtTheHeaderLine()
    {
        using var tree = new MetadataTree();
        var path = tree.PlatemapPath("crispr");
        tree.Edit(path, "well_position\tbroad_sample", "well\tbroad_sample");

        var result = tree.Load("BR00117000");

        var error = Single(result, MetadataProblemSeverity.Error);
        Assert.That((error.File, error.Line), Is.EqualTo((path, 1)));
        Assert.That(error.Message, Does.Contain("'well_position'"));
    }

    [Test]
    public void AMissingRequiredBarcodePlatemapColumnIsAnError()
    {
        using var tree = new MetadataTree();
        tree.Edit(tree.BarcodePlatemapPath, "Plate_Map_Name", "Map_Name");

        var result = tree.Load("BR00116991");

        var error = Single(result, MetadataProblemSeverity.Error);
        Assert.That((error.File, error.Line), Is.EqualTo((tree.BarcodePlatemapPath, 1)));
        Assert.That(error.Message, Does.Contain("'Plate_Map_Name'"));
    }

    [Test]
    public void AnExternalTableWithoutBroadSampleIsAnErrorAtItsHeader()
    {
        using var tree = new MetadataTree();
        var path = tree.ExternalPath(MetadataInputs.OrfFileName);
        tree.Edit(path, "broad_sample\t", "sample\t");

        var result = tree.Load("BR00117006");

        Assert.That(result.Problems.Where(p => p.IsError).Select(p => (p.File, p.Line)), Is.EqualTo(new[] { ((string?)path, (int?)1) }));
    }

    [Test]
    public void ADuplicateWellIsAnErrorNamingBothLines()
    {
        using var tree = new MetadataTree();
        var path = tree.PlatemapPath("orf");
        var a02 = MetadataTree.LineOf(path, "A02\t");
        tree.Edit(path, "A02\t", "A01\t");

        var result = tree.Load("BR00117006");

        var error = Single(result, MetadataProblemSeverity.Error);
        Assert.That((error.File, error.Line), Is.EqualTo((path, a02)));
        Assert.That(error.Message, Is.EqualTo("duplicate well A01 (first at line 2)"));
    }

    [TestCase("Q01")]
    [TestCase("A25")]
    [TestCase("A00")]
    [TestCase("a01")]
    [TestCase("A1")]
    public void AWellOutsideA01ToP24IsAnErrorAtItsLine(string badWell)
    {
        using var tree = new MetadataTree();
        var path = tree.PlatemapPath("compound");
        var line = MetadataTree.LineOf(path, "P24\t");
        tree.Edit(path, "P24\t", badWell + "\t");

        var result = tree.Load("BR00116991");

        var error = Single(result, MetadataProblemSeverity.Error);
        Assert.That((error.File, error.Line), Is.EqualTo((path, line)));
        Assert.That(error.Message, Does.Contain($"'{badWell}'").And.Contain("outside A01–P24"));
        // The platemap now lacks P24, which is reported as well.
        Assert.That(Single(result, MetadataProblemSeverity.Warning).Message, Does.Contain("383 of 384 wells; missing P24"));
    }

    [Test]
    public void ABroadSampleInNoExternalTableIsAWarningAndKeepsTheReferenceClassification()
    {
        using var tree = new MetadataTree();
        var compound = tree.PlatemapPath("compound");
        var orf = tree.PlatemapPath("orf");
        tree.Edit(compound, "A01\tBRD-A86665761-001-01-1", "A01\tBRD-Z00000000-001-01-1");
        tree.Edit(orf, "A01\tccsbBroad304_00900", "A01\tccsbBroad304_99999");

        var result = tree.Load("BR00116991", "BR00117006");

        Assert.That(result.HasErrors, Is.False);
        Assert.That(result.Problems.Select(p => (p.File, p.Line)), Is.EqualTo(new[] { ((string?)compound, (int?)2), (orf, 2) }));
        Assert.That(result.Problems[0].Message, Does.Contain("'BRD-Z00000000-001-01-1'").And.Contain("kept as compound"));
        Assert.That(result.Problems[1].Message, Does.Contain("kept as unknown"));
        Assert.That(result.Cache.Lookup(new("BR00116991", "A01")), Is.EqualTo(new PerturbationInfo { PertType = PerturbationType.Compound, BroadSample = "BRD-Z00000000-001-01-1" }));
        Assert.That(result.Cache.Lookup(new("BR00117006", "A01")).PertType, Is.EqualTo(PerturbationType.Unknown));
    }

    [Test]
    public void AMissingExternalTableIsAWarningAndLeavesItsWellsUnannotated()
    {
        using var tree = new MetadataTree();
        File.Delete(tree.ExternalPath(MetadataInputs.OrfFileName));

        var result = tree.Load("BR00117006");

        Assert.That(result.HasErrors, Is.False);
        Assert.That(result.Problems[0].File, Is.EqualTo(tree.ExternalPath(MetadataInputs.OrfFileName)));
        Assert.That(result.Cache.Lookup(new("BR00117006", "A01")).PertType, Is.EqualTo(PerturbationType.Unknown));
    }

    [Test]
    public void APlatemapDefinedTwiceIsAnError()
    {
        using var tree = new MetadataTree();
        File.Copy(tree.PlatemapPath("orf"), Path.Combine(tree.BatchDirectory, "JUMP-Target-1_orf_platemap.txt"));

        var result = tree.Load("BR00117006");

        Assert.That(Single(result, MetadataProblemSeverity.Error).Message, Does.Contain("'JUMP-Target-1_orf_platemap' is also defined by"));
    }

    [Test]
    public void ARepeatedBarcodeRowIsAWarningAndTheLaterRowWins()
    {
        using var tree = new MetadataTree();
        File.AppendAllText(tree.BarcodePlatemapPath, "\nBR00117006,JUMP-Target-1_crispr_platemap");

        var result = tree.Load("BR00117006");

        var warning = Single(result, MetadataProblemSeverity.Warning);
        Assert.That((warning.File, warning.Line), Is.EqualTo((tree.BarcodePlatemapPath, 53)));
        Assert.That(result.Cache.Records[0].PlateMapName, Is.EqualTo("JUMP-Target-1_crispr_platemap"));
    }
}
