using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Metadata;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class WellIndexStageTests
{
    [Test]
    public void Each_plate_folder_is_one_item_whose_inputs_are_the_metadata_cache_and_its_pt_files_in_order()
    {
        using var scratch = new TempDirectory();
        BuildConfig config = Config(scratch.Root);
        foreach (string name in new[] { "r01c02f01.pt", "r01c01f01.pt", "notes.txt", WellIndexStage.FileName, "r01c01f01.pt.tmp-1-2" })
        {
            WriteFile(Path.Combine(config.Local.Tensors, "BR00116991", name));
        }

        WriteFile(Path.Combine(config.Local.Features, "BR00116991", "r01c01f01.pt"));

        StageItems discovered = new WellIndexStage(config, ("features", config.Local.Features)).Discover();

        Assert.That(discovered.Items.Select(item => $"{item.Id} {item.Group}"), Is.EqualTo(new[] { "features/BR00116991 BR00116991", "tensors/BR00116991 BR00116991" }));
        WorkItem tensors = discovered.Items[1];
        Assert.That(tensors.Inputs.Select(input => input.Name), Is.EqualTo(new[] { "metadata-cache", "r01c01f01.pt", "r01c02f01.pt" }));
        Assert.That(tensors.Inputs[0].Path, Is.EqualTo(MetadataStage.CachePathFor(config)));
        Assert.That(tensors.Outputs.Single().Path, Is.EqualTo(Path.Combine(config.Local.Tensors, "BR00116991", "well_index.json")));
    }

    [Test]
    public void A_plate_without_a_site_folder_is_skipped_naming_the_folder()
    {
        using var scratch = new TempDirectory();
        BuildConfig config = Config(scratch.Root);
        WriteFile(Path.Combine(config.Local.Tensors, "BR00116991", "r01c01f01.pt"));

        StageItems discovered = new WellIndexStage(config, ("features", config.Local.Features)).Discover();

        Assert.That(discovered.Items.Select(item => item.Id), Is.EqualTo(new[] { "tensors/BR00116991" }));
        Assert.That(discovered.Problems, Is.Empty);
        Assert.That(discovered.Skipped.Select(skipped => $"{skipped.ItemId}: {skipped.Message}"), Is.EqualTo(new[]
        {
            $"features/BR00116991: no features folder {Path.Combine(config.Local.Features, "BR00116991")}: the plate has no site files to index",
        }));
    }

    private static BuildConfig Config(string root) => ConfigLoader.Parse(
        """
        cpjump:
          batch: "2020_11_04_CPJUMP1"
          plates: ["BR00116991__2020-11-05T19_51_35-Measurement1"]
        """,
        "test.yml",
        root);

    private static void WriteFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
    }
}
