using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Locking;
using CellPainting.Engine.Planning;
using CellPainting.Stages.Imaging;

namespace CellPainting.Build.Tests;

/// <summary>End to end on a small synthesised sample: what a user sees across runs of the real targets.</summary>
public sealed class DataBuildTests
{
    private string root = string.Empty;

    [SetUp]
    public void CreateSample()
    {
        root = Directory.CreateTempSubdirectory("cellpainting-build-").FullName;
        WriteConfig(tensorSize: 32);
        using DataBuild build = Open();
        build.Sample();
    }

    [TearDown]
    public void DeleteSample() => Directory.Delete(root, recursive: true);

    [Test]
    public void A_second_run_rebuilds_nothing_and_leaves_every_output_and_the_lock_byte_identical()
    {
        RunAll();
        Dictionary<string, byte[]> before = Snapshot();

        using (DataBuild build = Open())
        {
            Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.Features().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.Metadata().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.Splits().Count(OutcomeKind.Built), Is.Zero);
        }

        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Rebuilding_from_scratch_reproduces_the_same_bytes()
    {
        RunAll();
        Dictionary<string, byte[]> first = Snapshot();
        Directory.Delete(Path.Combine(root, "data", "tensors"), recursive: true);
        Directory.Delete(Path.Combine(root, "data", "features"), recursive: true);
        Directory.Delete(Path.Combine(root, "data", ".cpbuild"), recursive: true);

        RunAll();

        Assert.That(Snapshot(), Is.EqualTo(first));
    }

    [Test]
    public void Modifying_one_tiff_rebuilds_exactly_that_site_because_its_input_changed()
    {
        RunAll();
        string tiff = Directory.EnumerateFiles(Path.Combine(root, "data", "raw"), "r01c01f01p01-ch2sk1fk1fl1.tiff", SearchOption.AllDirectories).First();
        Gray16Image image = TiffDecoder.DecodeFile(tiff);
        image.Pixels[0] ^= 0x0101;
        File.WriteAllBytes(tiff, TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.Lzw, horizontalPredictor: true, rowsPerStrip: 16, tileSize: 0)));

        using DataBuild build = Open();
        StageReport tensors = build.Tensors();

        ItemOutcome rebuilt = tensors.Outcomes.Single(outcome => outcome.Kind == OutcomeKind.Built);
        Assert.That(rebuilt.ItemId, Does.EndWith("/r01c01f01"));
        Assert.That(rebuilt.Staleness.Reason, Is.EqualTo(StaleReason.InputChanged));
        Assert.That(rebuilt.Staleness.Detail, Is.EqualTo("ch2 modified"));
    }

    [Test]
    public void Touching_a_tiff_without_changing_it_rebuilds_nothing()
    {
        RunAll();
        string tiff = Directory.EnumerateFiles(Path.Combine(root, "data", "raw"), "*-ch1sk1fk1fl1.tiff", SearchOption.AllDirectories).First();
        File.SetLastWriteTimeUtc(tiff, DateTime.UtcNow.AddMinutes(1));

        using DataBuild build = Open();

        Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.Zero);
    }

    [Test]
    public void Changing_the_tensor_size_rebuilds_every_tensor_and_no_feature()
    {
        RunAll();
        WriteConfig(tensorSize: 48);

        using DataBuild build = Open();
        StageReport tensors = build.Tensors();

        Assert.That(tensors.Outcomes.Where(outcome => outcome.Kind != OutcomeKind.Skipped).Select(outcome => outcome.Staleness.Reason), Is.All.EqualTo(StaleReason.ParamsChanged));
        Assert.That(build.Features().Count(OutcomeKind.Built), Is.Zero);
    }

    [Test]
    public void Deleting_one_output_and_corrupting_another_rebuilds_just_those_two()
    {
        RunAll();
        string[] outputs = Directory.EnumerateFiles(Path.Combine(root, "data", "tensors"), "*.pt", SearchOption.AllDirectories).Order().ToArray();
        File.Delete(outputs[0]);
        byte[] bytes = File.ReadAllBytes(outputs[1]);
        bytes[^100] ^= 0xFF;
        File.WriteAllBytes(outputs[1], bytes);

        using DataBuild build = Open();
        StageReport tensors = build.Tensors();

        Assert.That(
            tensors.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Built).Select(outcome => outcome.Staleness.Reason),
            Is.EquivalentTo(new[] { StaleReason.OutputMissing, StaleReason.OutputModified }));
    }

    [Test]
    public void The_incomplete_sample_site_is_reported_as_skipped_with_its_missing_channel()
    {
        using DataBuild build = Open();
        StageReport tensors = build.Tensors();

        ItemOutcome skipped = tensors.Outcomes.Single(outcome => outcome.Kind == OutcomeKind.Skipped);
        Assert.That(skipped.ItemId, Is.EqualTo("BR00116991/r01c02f01"));
        Assert.That(skipped.Error, Does.StartWith("incomplete site: channel 3 missing"));
    }

    [Test]
    public void Explain_lists_what_would_be_rebuilt_and_writes_nothing()
    {
        using (DataBuild build = Open(explain: true))
        {
            StageReport report = build.Tensors();
            Assert.That(report.Count(OutcomeKind.WouldBuild), Is.EqualTo(3));
            Assert.That(report.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.WouldBuild).Select(outcome => outcome.Staleness.Reason), Is.All.EqualTo(StaleReason.New));
        }

        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(Path.Combine(root, "data", "tensors")), Is.False);
            Assert.That(File.Exists(Path.Combine(root, "data.lock.json")), Is.False);
        });
    }

    [Test]
    public void A_bad_tiff_fails_its_site_names_the_file_and_the_other_sites_still_build()
    {
        string tiff = Directory.EnumerateFiles(Path.Combine(root, "data", "raw"), "r01c01f01p01-ch4sk1fk1fl1.tiff", SearchOption.AllDirectories).Order().First();
        File.WriteAllBytes(tiff, [1, 2, 3]);

        using DataBuild build = Open();
        var error = Assert.Throws<BuildFailedException>(() => build.Tensors());

        Assert.That(error!.Message, Does.Contain("1 item(s) failed"));
        string[] built = Directory.EnumerateFiles(Path.Combine(root, "data", "tensors"), "*.pt", SearchOption.AllDirectories).ToArray();
        Assert.That(built, Has.Length.EqualTo(2));
        Assert.That(File.ReadAllText(Path.Combine(root, "data.lock.json")), Does.Contain("\"items\": 2"));
    }

    [Test]
    public void A_second_build_on_the_same_data_root_is_refused_and_told_who_holds_it()
    {
        using DataBuild first = Open();

        var error = Assert.Throws<RunLockedException>(() => Open());

        Assert.That(error!.Message, Does.Contain("Another build is running on this data root"));
    }

    private DataBuild Open(bool explain = false) =>
        DataBuild.Open(new BuildOptions(root, "sample.yml", explain, TimeSpan.Zero), TextWriter.Null);

    private void RunAll()
    {
        using DataBuild build = Open();
        build.Tensors();
        build.Features();
        build.Metadata();
        build.Splits();
    }

    /// <summary>Every output and lock file, by path relative to the root (local state excluded).</summary>
    private Dictionary<string, byte[]> Snapshot() =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}.cpbuild{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}raw{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(path => Path.GetRelativePath(root, path), File.ReadAllBytes);

    private void WriteConfig(int tensorSize)
    {
        File.WriteAllText(Path.Combine(root, "sample.yml"), $"""
            cpjump:
              batch: "2020_11_04_CPJUMP1"
              plates: ["BR00116991__2020-11-05T19_51_35-Measurement1", "BR00117000__2020-11-03T07_28_24-Measurement1"]
              {TinyModel.ExtractionSection}
              tensors: {"{"} size: {tensorSize} {"}"}
              build: {"{"} parallelism: 2 {"}"}
              sample: {"{"} image_size: 80, wells: ["A01", "A02"], sites: 1, incomplete_sites: ["BR00116991/r01c02f01:ch3"] {"}"}
            """);
    }
}
