using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Sites;

public sealed class SiteCatalogTests
{
    private const string Batch = "2020_11_04_CPJUMP1";
    private static readonly string[] Plates = ["BR00000001__2020-11-05T19_51_35-Measurement1", "BR00000002__2020-11-05T19_51_35-Measurement1", "BR00000003__2020-11-05T19_51_35-Measurement1"];

    private TempDirectory scratch = null!;
    private BuildConfig config = null!;

    [SetUp]
    public void WritePlates()
    {
        scratch = new TempDirectory();
        config = ConfigLoader.Parse(
            $"""
            cpjump:
              batch: "{Batch}"
              plates: [{string.Join(", ", Plates.Select(plate => $"\"{plate}\""))}]
            """,
            "test.yml",
            scratch.Root);
        // Plate 1: two complete sites; plate 2: one complete, one without channel 4; plate 3 has no folder.
        WriteSite(Plates[0], "r01c01f01", [1, 2, 3, 4, 5]);
        WriteSite(Plates[0], "r01c01f02", [1, 2, 3, 4, 5]);
        WriteSite(Plates[1], "r02c03f01", [1, 2, 3, 4, 5]);
        WriteSite(Plates[1], "r02c03f02", [1, 2, 3, 5]);
    }

    [TearDown]
    public void DeleteScratch() => scratch.Dispose();

    private void WriteSite(string plate, string site, int[] channels)
    {
        string folder = Path.Combine(config.Local.RawImages, Batch, plate, "Images");
        Directory.CreateDirectory(folder);
        foreach (int channel in channels)
        {
            File.WriteAllBytes(Path.Combine(folder, $"{site}p01-ch{channel}sk1fk1fl1.tiff"), [1]);
        }
    }

    private static IReadOnlyList<ItemOutput> Outputs(DiscoveredSite site) => [new ItemOutput("out", $"{site.Barcode}/{site.Key}.pt")];

    private static string[] Describe(StageItems items) =>
    [
        .. items.Items.Select(item => $"item {item.Id} {item.Group} {string.Join(",", item.Inputs.Select(input => Path.GetFileName(input.Path)))} {item.Outputs.Single().Path}"),
        .. items.Problems.Select(problem => $"problem {problem.ItemId} {problem.Group} {problem.WholeGroup}"),
        .. items.Skipped.Select(problem => $"skipped {problem.ItemId} {problem.Group}"),
    ];

    [Test]
    public void Items_by_plate_are_the_catalogs_items_a_plate_at_a_time_with_each_plates_problems()
    {
        StageItems whole = new SiteCatalog(config).ItemsFor(Outputs);

        IReadOnlyList<StageItems> parts = new SiteCatalog(config).ItemsByPlate(Outputs).ToArray();

        Assert.That(parts.Select(part => part.Items.Count + part.Problems.Count + part.Skipped.Count), Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(parts.Select(part => part.Items.Concat<object>(part.Problems).Concat(part.Skipped).Select(entry => entry is WorkItem item ? item.Group : ((ItemProblem)entry).Group).Distinct().Single()), Is.EqualTo(new[] { "BR00000001", "BR00000002", "BR00000003" }));
        Assert.That(
            Describe(new StageItems([.. parts.SelectMany(part => part.Items)], [.. parts.SelectMany(part => part.Problems)], [.. parts.SelectMany(part => part.Skipped)])),
            Is.EqualTo(Describe(whole)));
    }

    [Test]
    public void Items_by_plate_after_a_whole_scan_reuse_it()
    {
        var catalog = new SiteCatalog(config);
        StageItems whole = catalog.ItemsFor(Outputs);
        WriteSite(Plates[0], "r09c09f09", [1, 2, 3, 4, 5]);

        StageItems[] parts = catalog.ItemsByPlate(Outputs).ToArray();

        Assert.That(parts.SelectMany(part => part.Items).Select(item => item.Id), Is.EqualTo(whole.Items.Select(item => item.Id)));
    }
}
