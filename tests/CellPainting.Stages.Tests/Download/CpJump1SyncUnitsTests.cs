using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class CpJump1SyncUnitsTests
{
    private const string Batch = "2020_11_04_CPJUMP1";
    private const string Plate = "BR00116991__2020-11-05T19_51_35-Measurement1";
    private static readonly string Metadata = Path.Combine(Path.GetTempPath(), "data", "metadata");
    private static readonly string Raw = Path.Combine(Path.GetTempPath(), "data", "raw");

    [Test]
    public void UnitsMirrorThePlatemapsTheExternalMetadataAndEachPlatesImagesFolder()
    {
        var units = CpJump1SyncUnits.Create(Batch, [Plate], Metadata, Raw);

        Assert.Multiple(() =>
        {
            Assert.That(units.Select(u => u.Name), Is.EqualTo(new[] { $"platemaps/{Batch}", "external_metadata", Plate }));
            Assert.That(units.Select(u => u.RemotePrefix), Is.EqualTo(new[]
            {
                $"cpg0000-jump-pilot/source_4/workspace/metadata/platemaps/{Batch}/",
                "cpg0000-jump-pilot/source_4/workspace/metadata/external_metadata/",
                $"cpg0000-jump-pilot/source_4/images/{Batch}/images/{Plate}/Images/",
            }));
            Assert.That(units.Select(u => u.LocalDirectory), Is.EqualTo(new[]
            {
                Path.Combine(Metadata, "platemaps", Batch),
                Path.Combine(Metadata, "external_metadata"),
                Path.Combine(Raw, Batch, Plate, "Images"),
            }));
        });
    }

    [Test]
    public void ByDefaultPlatesTakeOnlyFluorescenceImagesWhileMetadataTakesEverything()
    {
        var units = CpJump1SyncUnits.Create(Batch, [Plate], Metadata, Raw);

        Assert.Multiple(() =>
        {
            Assert.That(units[2].Include("r01c01f01p01-ch5sk1fk1fl1.tiff"), Is.True);
            Assert.That(units[2].Include("r01c01f01p01-ch6sk1fk1fl1.tiff"), Is.False);
            Assert.That(units[2].Include("Index.idx.xml"), Is.False);
            Assert.That(units[0].Include("barcode_platemap.csv"), Is.True);
        });
    }

    [Test]
    public void EverythingModeTakesBrightfieldAndTheHarmonyIndexToo()
    {
        var plate = CpJump1SyncUnits.Create(Batch, [Plate], Metadata, Raw, ImageObjectSelection.Everything)[2];

        Assert.That(plate.Include("r01c01f01p01-ch6sk1fk1fl1.tiff") && plate.Include("Index.idx.xml"), Is.True);
    }

    [TestCase("..")]
    [TestCase("BR00116991/../x")]
    [TestCase("a\\b")]
    public void PlateDirectoriesThatAreNotOnePlainSegmentAreRejected(string plate) =>
        Assert.Throws<ArgumentException>(() => CpJump1SyncUnits.Create(Batch, [plate], Metadata, Raw));

    [Test]
    public void ABatchThatIsNotOnePlainSegmentIsRejected() =>
        Assert.Throws<ArgumentException>(() => CpJump1SyncUnits.Create("2020/../x", [Plate], Metadata, Raw));
}
