using CellPainting.Stages.Metadata;
using CellPainting.Stages.Tests.Sample;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class WellIndexTests
{
    [Test]
    public void SiteFilesAreGroupedByWellInOrderWithTheirMetadata()
    {
        var problems = new List<MetadataProblem>();

        var index = WellIndexBuilder.Build("BR00116991", ["r01c02f02.pt", "r01c01f09.pt", "r01c01f01.pt", "r16c24f01.pt"], CpJump1Sample.Cache, problems);

        Assert.That(problems, Is.Empty);
        Assert.That(index.Wells.Select(w => (w.Well, w.PertType, string.Join(" ", w.Sites))), Is.EqualTo(new[]
        {
            ("A01", PerturbationType.Compound, "r01c01f01.pt r01c01f09.pt"),
            ("A02", PerturbationType.Negcon, "r01c02f02.pt"),
            ("P24", CpJump1Sample.Cache.Lookup(new("BR00116991", "P24")).PertType, "r16c24f01.pt"),
        }));
        Assert.That(index.Wells[0].MetadataKey, Is.EqualTo(new WellKey("BR00116991", "A01")));
        Assert.That(index.Wells[0].BroadSample, Is.EqualTo("BRD-A86665761-001-01-1"));
    }

    [Test]
    public void TheIndexFileMatchesItsGoldenFileByteForByte()
    {
        var problems = new List<MetadataProblem>();
        var index = WellIndexBuilder.Build("BR00117000", ["r05c01f02.pt", "r01c01f01.pt", "r05c01f01.pt", "r01c01f02.pt"], CpJump1Sample.Cache, problems);

        GoldenFile.AssertMatches(Path.Combine("Metadata", "Golden", "well-index-BR00117000.json"), WellIndexJson.Serialize(index));
    }

    [Test]
    public void NamesThatAreNotSiteFilesAreSkippedWithAWarning()
    {
        var problems = new List<MetadataProblem>();

        var index = WellIndexBuilder.Build("BR00116991", ["Index.idx.xml", "r01c01f01p01-ch1sk1fk1fl1.tiff", "r01c01f01.pt"], CpJump1Sample.Cache, problems);

        Assert.That(index.Wells.Single().Sites, Is.EqualTo(new[] { "r01c01f01.pt" }));
        Assert.That(problems.Select(p => p.IsError), Is.EqualTo(new[] { false, false }));
        Assert.That(problems[0].Message, Does.Contain("'Index.idx.xml'"));
    }

    [Test]
    public void ASiteOutsideThePlateIsAnError()
    {
        var problems = new List<MetadataProblem>();

        WellIndexBuilder.Build("BR00116991", ["r17c01f01.pt", "r01c25f01.pt", "r00c01f01.pt"], CpJump1Sample.Cache, problems);

        Assert.That(problems.Select(p => p.IsError), Is.EqualTo(new[] { true, true, true }));
        Assert.That(problems[0].Message, Does.Contain("BR00116991").And.Contain("'r17c01f01.pt'"));
    }

    [Test]
    public void AWellWithoutMetadataIsIndexedAsUnknownWithAWarning()
    {
        var problems = new List<MetadataProblem>();

        var index = WellIndexBuilder.Build("BR99999999", ["r01c01f01.pt"], CpJump1Sample.Cache, problems);

        Assert.That(index.Wells.Single(), Is.EqualTo(index.Wells.Single() with { MetadataKey = null, PertType = PerturbationType.Unknown, BroadSample = "" }));
        Assert.That(problems.Single().IsError, Is.False);
        Assert.That(WellIndexJson.Serialize(index), Is.EqualTo("{\n  \"format\": \"cellpainting-well-index/1\",\n  \"barcode\": \"BR99999999\",\n  \"wells\": [\n    {\n      \"well\": \"A01\",\n      \"metadata_key\": null,\n      \"pert_type\": \"unknown\",\n      \"broad_sample\": \"\",\n      \"sites\": [\n        \"r01c01f01.pt\"\n      ]\n    }\n  ]\n}\n"u8.ToArray()));
    }

    [Test]
    public void ASiteListedTwiceIsAnError()
    {
        var problems = new List<MetadataProblem>();

        WellIndexBuilder.Build("BR00116991", ["r01c01f01.pt", "r01c01f01.pt"], CpJump1Sample.Cache, problems);

        Assert.That(problems.Single().IsError, Is.True);
    }
}
