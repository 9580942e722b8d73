using CellPainting.Engine.Items;
using CellPainting.Engine.Planning;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Imaging;
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
        BuildConfig config = Config(scratch, """plates: ["BR00000002__2020-11-05T19_51_35-Measurement1", "BR00000001__2020-11-05T19_51_35-Measurement1"]""");
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

    [Test]
    public void A_site_whose_channels_differ_in_size_fails_naming_the_first_channel_and_the_odd_one()
    {
        using var scratch = new TempDirectory();
        BuildConfig config = Config(scratch, """plates: ["BR00000001__2020-11-05T19_51_35-Measurement1"]""", "tensors: { size: 4 }");
        string folder = Path.Combine(config.Local.RawImages, config.Batch, config.Plates[0].Name, "Images");
        Directory.CreateDirectory(folder);
        foreach (int channel in SiteDiscovery.FluorescenceChannels)
        {
            int width = channel == 3 ? 9 : 8;
            var image = new Gray16Image(width, 8, new ushort[width * 8]);
            TiffEncoder.Write(Path.Combine(folder, $"r01c01f01p01-ch{channel}sk1fk1fl1.tiff"), image, new TiffEncoding(TiffCompression.Lzw, false, 8, 0));
        }

        var stage = new TensorStage(config, new SiteCatalog(config));
        WorkItem item = stage.Discover().Items.Single();

        var thrown = Assert.Throws<ItemFailedException>(() => stage.Build(item, new FileBuildContext(item)));

        Assert.That(thrown!.Message, Is.EqualTo(
            $"channel images differ in size: {item.Inputs[0].Path} is 8x8, {item.Inputs[2].Path} is 9x8"));
    }

    /// <summary>A CPJUMP1 batch config rooted in <paramref name="scratch"/>, with the given lines under <c>cpjump</c>.</summary>
    private static BuildConfig Config(TempDirectory scratch, params string[] lines) =>
        ConfigLoader.Parse(
            "cpjump:\n  batch: \"2020_11_04_CPJUMP1\"\n" + string.Concat(lines.Select(line => $"  {line}\n")),
            "test.yml",
            scratch.Root);
}
