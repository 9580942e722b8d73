using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Execution;
using CellPainting.Stages.Configuration;

namespace CellPainting.Build.Tests;

/// <summary>The Clean target end to end on the synthesised sample, after the config drops a plate.</summary>
public sealed class CleanRunnerTests : BuiltSample
{
    private static readonly string[] DroppedPlateOutputs =
    [
        "data/features/BR00117000/r01c01f01.pt",
        "data/features/BR00117000/r01c02f01.pt",
        "data/features/BR00117000/well_index.json",
        "data/tensors/BR00117000/r01c01f01.pt",
        "data/tensors/BR00117000/r01c02f01.pt",
        "data/tensors/BR00117000/well_index.json",
    ];

    private string Clean(bool remove) => Sample.Run(build => build.Clean(remove)).Output;

    private static string[] Listed(string output, string label) =>
        output.Split('\n').Where(line => line.StartsWith($"  {label} ", StringComparison.Ordinal))
            .Select(line => line[(label.Length + 3)..line.LastIndexOf(':')])
            .ToArray();

    /// <summary>Raw images, metadata inputs and the config: what Clean must never touch.</summary>
    private Dictionary<string, byte[]> Inputs() =>
        Sample.Snapshot(path => path.StartsWith($"data{Path.DirectorySeparatorChar}raw", StringComparison.Ordinal)
            || (path.StartsWith($"data{Path.DirectorySeparatorChar}metadata", StringComparison.Ordinal) && !path.Contains("cache", StringComparison.Ordinal))
            || path == "sample.yml");

    [Test]
    public void After_a_plate_is_dropped_Clean_lists_exactly_its_outputs_and_deletes_nothing_without_remove()
    {
        Sample.WriteConfig(plates: [SampleRoot.FirstPlate]);
        Dictionary<string, byte[]> before = Sample.Snapshot(_ => true);

        string output = Clean(remove: false);

        Assert.That(Listed(output, "orphan"), Is.EqualTo(DroppedPlateOutputs));
        Assert.That(output, Does.Contain("clean: 6 file(s) no item of the current plan produces, 0 temporary file(s)"));
        Assert.That(output, Does.Contain("clean: nothing removed; pass --remove to delete them"));
        Assert.That(Sample.Snapshot(_ => true), Is.EqualTo(before));
    }

    [Test]
    public void Clean_with_remove_deletes_them_leaves_inputs_alone_and_the_next_build_and_Verify_are_clean()
    {
        Sample.WriteConfig(plates: [SampleRoot.FirstPlate]);
        Dictionary<string, byte[]> inputs = Inputs();

        string output = Clean(remove: true);

        Assert.That(output, Does.Contain("clean: removed 6 file(s)"));
        Assert.That(DroppedPlateOutputs.Select(path => Sample.PathOf(path)).Where(File.Exists), Is.Empty);
        Assert.That(Directory.Exists(Sample.PathOf("data", "tensors", "BR00117000")), Is.False, "the emptied plate folder goes too");
        Assert.That(Inputs(), Is.EqualTo(inputs));
        using (DataBuild build = Sample.Open())
        {
            Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.Features().Report.Count(OutcomeKind.Built), Is.Zero);
            build.Metadata();
            build.Splits();
            build.WellIndex();
            Assert.DoesNotThrow(() => build.Verify());
        }

        Assert.That(Listed(Clean(remove: false), "orphan"), Is.Empty);
    }

    [Test]
    public void Clean_lists_and_removes_temporary_files_a_killed_run_left()
    {
        string leftover = Sample.PathOf("data", "tensors", "BR00116991", "r01c01f01.pt.tmp-4242-0123456789abcdef0123456789abcdef");
        File.WriteAllText(leftover, "half a tensor");

        string listed = Clean(remove: false);
        Clean(remove: true);

        Assert.That(Listed(listed, "leftover"), Is.EqualTo(new[] { "data/tensors/BR00116991/r01c01f01.pt.tmp-4242-0123456789abcdef0123456789abcdef" }));
        Assert.That(Listed(listed, "orphan"), Is.Empty);
        Assert.That(File.Exists(leftover), Is.False);
        Assert.That(File.Exists(Sample.PathOf("data", "tensors", "BR00116991", "r01c01f01.pt")), Is.True);
    }

    [Test]
    public void Clean_lists_and_removes_what_an_interrupted_download_left_among_the_images_and_the_metadata_and_nothing_else_there()
    {
        string images = Sample.PathOf("data", "raw", "2020_11_04_CPJUMP1", SampleRoot.FirstPlate, "Images");
        const string Suffix = ".tmp-4242-0123456789abcdef0123456789abcdef";
        File.WriteAllText(Path.Combine(images, "r09c09f09p01-ch1sk1fk1fl1.tiff" + Suffix), "half an image");
        File.WriteAllText(Path.Combine(images, "notes.txt"), "not an image, not ours");
        File.WriteAllText(Sample.PathOf("data", "metadata", "platemaps", "2020_11_04_CPJUMP1", "barcode_platemap.csv" + Suffix), "half a table");
        Dictionary<string, byte[]> inputs = Inputs();

        string listed = Clean(remove: false);
        Clean(remove: true);

        Assert.That(Listed(listed, "leftover"), Is.EqualTo(new[]
        {
            $"data/metadata/platemaps/2020_11_04_CPJUMP1/barcode_platemap.csv{Suffix}",
            $"data/raw/2020_11_04_CPJUMP1/{SampleRoot.FirstPlate}/Images/r09c09f09p01-ch1sk1fk1fl1.tiff{Suffix}",
        }));
        Assert.That(Listed(listed, "orphan"), Is.Empty);
        Assert.That(Inputs(), Is.EqualTo(inputs.Where(input => !input.Key.EndsWith(Suffix, StringComparison.Ordinal)).ToDictionary()));
    }

    [Test]
    public void Clean_removes_nothing_while_a_plate_of_the_plan_cannot_be_scanned()
    {
        Directory.Move(Sample.PathOf("data", "raw", "2020_11_04_CPJUMP1", SampleRoot.SecondPlate), Sample.PathOf("data", "raw", "moved-away"));

        BuildFailedException? error = Sample.Run(build => build.Clean(remove: true)).Error;

        // The plate, and the four split files, which cover its wells.
        Assert.That(error?.Message, Does.StartWith("clean: nothing removed: 5 item(s) could not be planned"));
        Assert.That(DroppedPlateOutputs.Select(path => Sample.PathOf(path)).All(File.Exists), Is.True);
    }

    [Test]
    public void Clean_refuses_an_output_folder_that_holds_the_raw_images()
    {
        Sample.WriteConfig(extraLocal: ", tensors: \"data\"");

        using DataBuild build = Sample.Open();
        var error = Assert.Throws<ConfigException>(() => build.Clean(remove: true));

        Assert.That(error!.Message, Does.Contain("Clean will not scan local.tensors").And.Contain("it contains local.raw_images"));
    }
}
