using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;
using CellPainting.Stages.Tensors;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Tensors;

public sealed class TensorStageTests
{
    [Test]
    public void Its_parts_are_its_items_a_plate_at_a_time()
    {
        using var scratch = new TempDirectory();
        BuildConfig config = ConfigLoader.Parse(
            """
            cpjump:
              batch: "2020_11_04_CPJUMP1"
              plates: ["BR00000002__2020-11-05T19_51_35-Measurement1", "BR00000001__2020-11-05T19_51_35-Measurement1"]
            """,
            "test.yml",
            scratch.Root);
        foreach (PlateDirectory plate in config.Plates)
        {
            string folder = Path.Combine(config.Local.RawImages, config.Batch, plate.Name, "Images");
            Directory.CreateDirectory(folder);
            foreach (int channel in SiteDiscovery.FluorescenceChannels)
            {
                File.WriteAllBytes(Path.Combine(folder, $"r01c01f01p01-ch{channel}sk1fk1fl1.tiff"), [1]);
            }
        }

        var stage = new TensorStage(config, new SiteCatalog(config));
        StageItems[] parts = stage.DiscoverParts().ToArray();

        Assert.That(parts.Select(part => part.Items.Single().Group), Is.EqualTo(new[] { "BR00000002", "BR00000001" }));
        Assert.That(
            parts.SelectMany(part => part.Items).Select(item => (item.Id, item.Outputs.Single().Path)),
            Is.EqualTo(stage.Discover().Items.Select(item => (item.Id, item.Outputs.Single().Path))));
    }
}
