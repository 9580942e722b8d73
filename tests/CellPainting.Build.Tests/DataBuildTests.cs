using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine;
using CellPainting.Engine.Execution;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Locking;
using CellPainting.Engine.Planning;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Features;
using CellPainting.Stages.Imaging;
using CellPainting.Stages.Metadata;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>End to end on a small synthesised sample: what a user sees across runs of the real targets.</summary>
public sealed class DataBuildTests
{
    /// <summary>
    /// The reference path in PyTorch for every feature file: the site's five planes (decoded by the TIFF layer, which its
    /// own tests check against tifffile; Debian's tifffile cannot read LZW) / 65535, bilinear resize to 64, the tiny
    /// model rebuilt from its generator (seed 0) in PyTorch; each .pt loaded with weights_only=True. argv: models
    /// folder, folder of &lt;barcode&gt;/&lt;site&gt;.u16 files (5 little-endian uint16 planes), plane height, plane width,
    /// features folder. Prints {"checked": N, "worst": max abs difference}.
    /// </summary>
    private const string PyTorchFeaturesScript = """
        import glob, json, os, sys
        import numpy as np, torch
        sys.path.insert(0, sys.argv[1])
        import make_tiny_dinov3 as tiny
        planes, height, width, features = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
        model = tiny.TinyDinov3(64, 2, 2, 64).eval()
        tiny.initialise(model, 0)
        worst, checked = 0.0, 0
        for path in sorted(glob.glob(os.path.join(features, "*", "*.pt"))):
            site = os.path.join(planes, os.path.basename(os.path.dirname(path)), os.path.basename(path)[:-3] + ".u16")
            pixels = np.fromfile(site, dtype="<u2").reshape(1, 5, height, width).astype(np.float32) / np.float32(65535)
            resized = torch.nn.functional.interpolate(torch.from_numpy(pixels), size=(64, 64), mode="bilinear", align_corners=False, antialias=False)
            with torch.no_grad():
                expected = model(tiny.preprocess(resized))
            actual = torch.load(path, weights_only=True)
            assert isinstance(actual, torch.Tensor) and actual.dtype == torch.float32 and tuple(actual.shape) == (5, 64), (path, type(actual))
            worst, checked = max(worst, (actual - expected).abs().max().item()), checked + 1
        print(json.dumps({"checked": checked, "worst": worst}))
        """;

    private SampleRoot sample = null!;
    private string root = string.Empty;

    [SetUp]
    public void CreateSample()
    {
        sample = new SampleRoot();
        root = sample.Root;
    }

    [TearDown]
    public void DeleteSample() => sample.Dispose();

    [Test]
    public void A_second_run_rebuilds_nothing_and_leaves_every_output_and_the_lock_byte_identical()
    {
        RunAll();
        Dictionary<string, byte[]> before = Snapshot();

        using (DataBuild build = Open())
        {
            Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.Features().Report.Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.Metadata().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.Splits().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.WellIndex().Count(OutcomeKind.Built), Is.Zero);
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
        Assert.That(build.Features().Report.Count(OutcomeKind.Built), Is.Zero);
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
    public void Explain_lists_what_would_be_rebuilt_and_writes_nothing_not_even_lock_files_among_the_outputs()
    {
        if (Directory.Exists(DataPath("tensors")))
        {
            Directory.Delete(DataPath("tensors"), recursive: true); // the run locks the sample's synthesis left
        }

        using (DataBuild build = Open(explain: true))
        {
            StageReport report = build.Tensors();
            Assert.That(report.Count(OutcomeKind.WouldBuild), Is.EqualTo(3));
            Assert.That(report.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.WouldBuild).Select(outcome => outcome.Staleness.Reason), Is.All.EqualTo(StaleReason.New));
        }

        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(DataPath("tensors")) ? Directory.EnumerateFiles(DataPath("tensors"), "*", SearchOption.AllDirectories) : [], Is.Empty);
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
    public void A_bad_tiff_fails_its_site_in_tensors_and_features_run_together_and_both_record_the_other_sites()
    {
        string tiff = Directory.EnumerateFiles(Path.Combine(root, "data", "raw"), "r01c01f01p01-ch4sk1fk1fl1.tiff", SearchOption.AllDirectories).Order().First();
        File.WriteAllBytes(tiff, [1, 2, 3]);

        (string printed, BuildFailedException? error) = sample.Run(build => build.TensorsAndFeatures());

        Assert.That(error!.Message, Does.StartWith("tensors: 1 item(s) failed; features: 1 item(s) failed"));
        Assert.That(printed, Does.Contain(tiff));
        Assert.That(new[] { "tensors", "features" }.Select(target => (LockedItems(target, "BR00116991").Length, LockedItems(target, "BR00117000").Length)), Is.All.EqualTo((0, 2)));
    }

    [Test]
    public void A_failed_site_does_not_stop_the_targets_that_do_not_need_it_and_the_run_ends_naming_what_failed()
    {
        string tiff = Directory.EnumerateFiles(DataPath("raw", "2020_11_04_CPJUMP1", SampleRoot.SecondPlate), "r01c01f01p01-ch4sk1fk1fl1.tiff", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(tiff, []);
        var output = new StringWriter();

        using DataBuild build = Open(output: output);
        RunAsCake(build, target => target.TensorsAndFeatures(), target => target.Metadata(), target => target.Splits(), target => target.WellIndex());
        var error = Assert.Throws<BuildFailedException>(build.Finish);

        Assert.That(error!.Message, Is.EqualTo("the build failed. tensors: 1 item(s) failed; features: 1 item(s) failed (listed above); its other items are built and recorded. Every target not named here ran to the end."));
        Assert.That(output.ToString(), Does.Contain(tiff));
        Assert.That(File.Exists(DataPath("metadata", "cache", "2020_11_04_CPJUMP1.json")), Is.True);
        Assert.That(Directory.GetFiles(DataPath("splits"), "*.csv"), Is.Not.Empty);
        Assert.That(WellsIn(DataPath("tensors", "BR00117000", WellIndexStage.FileName)).Select(well => well.Split(' ')[^1]), Is.EqualTo(new[] { "r01c02f01.pt" }), "the well index lists the site files that were built");
        Assert.That(LockedItems("well-index", "BR00117000"), Is.EqualTo(new[] { "features/BR00117000", "tensors/BR00117000" }));
    }

    [Test]
    public void A_failed_metadata_target_leaves_the_splits_and_well_indexes_unrun_and_the_run_names_them()
    {
        File.WriteAllText(CompoundPlatemap, File.ReadAllText(CompoundPlatemap).Replace("\nA03\t", "\nA01\t", StringComparison.Ordinal));

        using DataBuild build = Open();
        RunAsCake(build, target => target.TensorsAndFeatures(), target => target.Metadata(), target => target.Splits(), target => target.WellIndex());
        var error = Assert.Throws<BuildFailedException>(build.Finish);

        Assert.That(error!.Message, Does.StartWith("the build failed. metadata: 1 item(s) failed (listed above)"));
        Assert.That(error.Message, Does.Contain("splits: not run: it reads the metadata target's outputs, which failed to build above."));
        Assert.That(error.Message, Does.Contain("well-index: not run: it reads the metadata target's outputs, which failed to build above."));
        Assert.That(Directory.Exists(DataPath("splits")), Is.False);
        Assert.That(LockedItems("tensors", "BR00117000"), Has.Length.EqualTo(2));
    }

    [TestCase("Images")]
    [TestCase("raw root")]
    public void An_unscannable_plate_is_an_error_and_its_lock_entries_stay_as_they_were(string removed)
    {
        RunAll();
        Dictionary<string, byte[]> lockBefore = sample.LockSnapshot();
        string images = DataPath("raw", "2020_11_04_CPJUMP1", SampleRoot.FirstPlate, "Images");
        string gone = removed == "Images" ? images : DataPath("raw");
        Directory.Move(gone, gone + ".away");
        var output = new StringWriter();

        using (DataBuild build = Open(output: output))
        {
            Assert.Throws<BuildFailedException>(() => build.TensorsAndFeatures());
            Assert.Throws<BuildFailedException>(() => build.Splits());
        }

        (string verified, BuildFailedException? error) = sample.Run(build => build.Verify());

        Assert.That(output.ToString(), Does.Contain($"FAILED BR00116991: plate BR00116991 cannot be scanned: image directory not found: {images}; its lock entries are kept as they were"));
        Assert.That(output.ToString(), Does.Contain("FAILED splits/pert_type: cannot split without plate(s) BR00116991 (image directory not found: "));
        Assert.That(sample.LockSnapshot(), Is.EqualTo(lockBefore));
        Assert.That(error, Is.Not.Null);
        Assert.That(verified, Does.Contain($"CANNOT LIST BR00116991: plate BR00116991 cannot be scanned: image directory not found: {images}"));
    }

    [Test]
    public void With_conflict_markers_in_the_lock_the_site_targets_and_Clean_stop_before_building_or_removing_anything()
    {
        File.WriteAllText(sample.LockPath, "<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n");
        string orphan = DataPath("tensors", "BR00116991", "r09c09f09.pt");
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        File.WriteAllText(orphan, "left by an older config");

        using DataBuild build = Open();
        var building = Assert.Throws<LockFileException>(() => build.TensorsAndFeatures());
        var cleaning = Assert.Throws<LockFileException>(() => build.Clean(remove: true));

        Assert.That(new[] { building!.Message, cleaning!.Message }, Is.All.StartWith($"{sample.LockPath}:1: merge-conflict marker"));
        Assert.That(Directory.EnumerateFiles(DataPath("tensors"), "*.pt", SearchOption.AllDirectories), Is.EqualTo(new[] { orphan }), "nothing built, nothing removed");
        Assert.That(Directory.EnumerateFiles(DataPath("features"), "*.pt", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void Explaining_stale_features_says_the_model_was_not_loaded_because_nothing_is_built_not_that_no_site_needed_it()
    {
        var output = new StringWriter();

        using (DataBuild build = Open(explain: true, output: output))
        {
            build.TensorsAndFeatures();
        }

        Assert.That(output.ToString(), Does.Contain("features: 4 items: 0 up to date, 3 would be rebuilt"));
        Assert.That(output.ToString(), Does.Contain("  the model was not loaded: --explain builds nothing").And.Not.Contain("no site needed it"));
    }

    [Test]
    public void Sites_run_together_say_the_features_decode_was_shared_with_tensors()
    {
        var output = new StringWriter();

        using (DataBuild build = Open(output: output))
        {
            build.TensorsAndFeatures();
        }

        Assert.That(output.ToString(), Does.Contain("workers: decode shared with tensors (15 TIFFs decoded once for both), resize"));
    }

    [Test]
    public void Only_failed_items_are_deferred_any_other_error_stops_the_run_at_once()
    {
        using DataBuild build = Open();

        Assert.Throws<IOException>(() => build.Defer(new IOException("disk gone")));
        Assert.DoesNotThrow(build.Finish, "nothing was deferred");
    }

    [Test]
    public void Tensors_and_features_together_decode_each_tiff_once_and_write_the_same_bytes_and_lock_as_run_apart()
    {
        FeatureRun featuresApart;
        using (DataBuild build = Open())
        {
            build.Tensors();
            featuresApart = build.Features();
        }

        Dictionary<string, byte[]> apart = Snapshot();
        Directory.Delete(DataPath("tensors"), recursive: true);
        Directory.Delete(DataPath("features"), recursive: true);
        Directory.Delete(DataPath(".cpbuild"), recursive: true);
        Directory.Delete(Path.Combine(root, "data.lock.d"), recursive: true);
        File.Delete(Path.Combine(root, "data.lock.json"));

        SiteRun together;
        using (DataBuild build = Open())
        {
            together = build.TensorsAndFeatures();
        }

        Assert.That(Snapshot(), Is.EqualTo(apart));
        Assert.That((together.Tensors.Count(OutcomeKind.Built), together.Features.Report.Count(OutcomeKind.Built)), Is.EqualTo((3, 3)));
        Assert.That(featuresApart.Time.TiffsDecoded, Is.EqualTo(15), "apart, Features decodes the 3 sites' 5 TIFFs again");
        Assert.That((together.TiffsDecoded, together.Features.Time.TiffsDecoded), Is.EqualTo((15L, 0L)), "together, each TIFF is decoded once, by Tensors");
    }

    [Test]
    public void Each_plate_gets_a_well_index_of_its_site_files_next_to_its_tensors_and_next_to_its_features()
    {
        RunAll();

        // BR00116991's A02 site is the sample's incomplete one, so only A01 has a site file.
        byte[] expected = """
            {
              "format": "cellpainting-well-index/1",
              "barcode": "BR00116991",
              "wells": [
                {
                  "well": "A01",
                  "metadata_key": "BR00116991/A01",
                  "pert_type": "compound",
                  "broad_sample": "BRD-A86665761-001-01-1",
                  "sites": [
                    "r01c01f01.pt"
                  ]
                }
              ]
            }

            """u8.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(DataPath("tensors", "BR00116991", WellIndexStage.FileName)), Is.EqualTo(expected));
            Assert.That(File.ReadAllBytes(DataPath("features", "BR00116991", WellIndexStage.FileName)), Is.EqualTo(expected));
            Assert.That(WellsIn(DataPath("tensors", "BR00117000", WellIndexStage.FileName)), Is.EqualTo(new[] { "A01 crispr BRDN0001480888 r01c01f01.pt", "A02 crispr BRDN0001483495 r01c02f01.pt" }));
            Assert.That(LockedItems("well-index", "BR00117000"), Is.EqualTo(new[] { "features/BR00117000", "tensors/BR00117000" }));
            Assert.That(File.ReadAllText(Path.Combine(root, "data.lock.json")), Does.Contain("\"well-index\": {"));
        });
    }

    [Test]
    public void Completing_an_incomplete_site_adds_it_to_the_well_indexes_of_its_plate_and_rebuilds_no_other()
    {
        RunAll();
        string channel2 = Directory.EnumerateFiles(DataPath("raw"), "r01c02f01p01-ch2sk1fk1fl1.tiff", SearchOption.AllDirectories).Single(path => path.Contains("BR00116991", StringComparison.Ordinal));
        File.Copy(channel2, channel2.Replace("-ch2", "-ch3", StringComparison.Ordinal));

        using DataBuild build = Open();
        build.Tensors();
        build.Features();
        build.Metadata();
        StageReport wellIndex = build.WellIndex();

        Assert.That(
            wellIndex.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Built).Select(outcome => $"{outcome.ItemId} {outcome.Staleness}"),
            Is.EqualTo(new[] { "features/BR00116991 input changed: r01c02f01.pt added", "tensors/BR00116991 input changed: r01c02f01.pt added" }));
        Assert.That(WellsIn(DataPath("features", "BR00116991", WellIndexStage.FileName)), Has.Some.EqualTo("A02 negcon  r01c02f01.pt"));
    }

    [Test]
    public void Deleting_a_site_file_rebuilds_the_well_index_of_its_folder_without_it()
    {
        RunAll();
        File.Delete(DataPath("tensors", "BR00117000", "r01c02f01.pt"));

        using DataBuild build = Open();
        StageReport wellIndex = build.WellIndex();

        ItemOutcome rebuilt = wellIndex.Outcomes.Single(outcome => outcome.Kind == OutcomeKind.Built);
        Assert.That($"{rebuilt.ItemId} {rebuilt.Staleness}", Is.EqualTo("tensors/BR00117000 input changed: r01c02f01.pt removed"));
        Assert.That(WellsIn(DataPath("tensors", "BR00117000", WellIndexStage.FileName)), Is.EqualTo(new[] { "A01 crispr BRDN0001480888 r01c01f01.pt" }));
    }

    [Test]
    public void A_site_file_outside_the_plate_fails_its_well_index_naming_the_folder_and_the_file_and_the_others_still_build()
    {
        RunAll();
        File.Copy(DataPath("tensors", "BR00117000", "r01c01f01.pt"), DataPath("tensors", "BR00117000", "r17c01f01.pt"));
        var output = new StringWriter();

        using DataBuild build = Open(output: output);
        var error = Assert.Throws<BuildFailedException>(() => build.WellIndex());

        Assert.That(error!.Message, Does.StartWith("well-index: 1 item(s) failed"));
        Assert.That(output.ToString(), Does.Contain($"FAILED tensors/BR00117000: {DataPath("tensors", "BR00117000")}: error: plate BR00117000: site file 'r17c01f01.pt' is outside wells A01–P24"));
        Assert.That(LockedItems("well-index", "BR00117000"), Is.EqualTo(new[] { "features/BR00117000" }));
    }

    [Test]
    public void Touching_a_platemap_without_changing_its_bytes_rebuilds_no_metadata_split_or_well_index()
    {
        RunAll();
        File.SetLastWriteTimeUtc(CompoundPlatemap, DateTime.UtcNow.AddMinutes(1));

        using DataBuild build = Open();

        Assert.Multiple(() =>
        {
            Assert.That(build.Metadata().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.Splits().Count(OutcomeKind.Built), Is.Zero);
            Assert.That(build.WellIndex().Count(OutcomeKind.Built), Is.Zero);
        });
    }

    [Test]
    public void Editing_one_platemap_line_rebuilds_metadata_and_splits_naming_the_file_and_changes_the_cache_for_that_well_only()
    {
        RunAll();
        string cachePath = DataPath("metadata", "cache", "2020_11_04_CPJUMP1.json");
        MetadataCache before = MetadataCacheJson.Deserialize(File.ReadAllBytes(cachePath), cachePath);
        string platemap = File.ReadAllText(CompoundPlatemap);
        File.WriteAllText(CompoundPlatemap, platemap.Replace("A01\tBRD-A86665761-001-01-1\t", "A01\tBRD-A22032524-074-09-9\t", StringComparison.Ordinal));

        using DataBuild build = Open();

        Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.Zero);
        Assert.That(build.Features().Report.Count(OutcomeKind.Built), Is.Zero);
        Assert.That(
            build.Metadata().Outcomes.Select(outcome => $"{outcome.Kind} {outcome.Staleness}"),
            Is.EqualTo(new[] { "Built input changed: platemaps/2020_11_04_CPJUMP1/platemap/JUMP-Target-1_compound_platemap.txt modified" }));
        Assert.That(
            build.Splits().Outcomes.Select(outcome => $"{outcome.Kind} {outcome.Staleness}"),
            Is.EqualTo(Enumerable.Repeat("Built input changed: metadata-cache modified", 4)));
        MetadataCache after = MetadataCacheJson.Deserialize(File.ReadAllBytes(cachePath), cachePath);
        Assert.That(after.Records.Except(before.Records).Select(record => $"{record.Key} {record.Info.BroadSample}"), Is.EqualTo(new[] { "BR00116991/A01 BRD-A22032524-074-09-9" }));
        Assert.That(before.Records.Except(after.Records).Select(record => record.Key), Is.EqualTo(new[] { new WellKey("BR00116991", "A01") }));
    }

    [Test]
    public void A_duplicate_well_in_a_platemap_fails_the_metadata_target_naming_the_file_and_the_line()
    {
        string platemap = File.ReadAllText(CompoundPlatemap);
        File.WriteAllText(CompoundPlatemap, platemap.Replace("\nA03\t", "\nA01\t", StringComparison.Ordinal));
        var output = new StringWriter();

        using DataBuild build = Open(output: output);
        Assert.Throws<BuildFailedException>(() => build.Metadata());

        Assert.That(output.ToString(), Does.Contain($"{CompoundPlatemap}:4: error: duplicate well A01 (first at line 2)"));
    }

    [Test]
    public void A_second_build_on_the_same_data_root_is_refused_and_told_who_holds_it()
    {
        using DataBuild first = Open();

        var error = Assert.Throws<RunLockedException>(() => Open());

        Assert.That(error!.Message, Does.Contain("Another build is running on this data root"));
    }

    [Test]
    public void A_second_build_with_its_own_state_and_lock_but_the_same_output_folders_is_refused_naming_the_first()
    {
        File.WriteAllText(sample.PathOf("other.yml"), File.ReadAllText(sample.PathOf("sample.yml"))
            .Replace("local: { raw_images: \"data/raw\" }", "local: { raw_images: \"data/raw\", state: \"other/state\" }", StringComparison.Ordinal)
            .Replace("build: { parallelism: 2 }", "build: { parallelism: 2, lock: \"other/data.lock.json\" }", StringComparison.Ordinal));
        using DataBuild first = Open();

        var error = Assert.Throws<RunLockedException>(() => DataBuild.Open(new BuildOptions(root, "other.yml", Explain: false, TimeSpan.Zero), TextWriter.Null));

        Assert.That(error!.Message, Does.StartWith($"Another build is running on the outputs 'BR00116991' in {DataPath("features")} (pid {Environment.ProcessId}: build with sample.yml)"));
        Assert.That(Directory.Exists(sample.PathOf("other", "state")), Is.True, "the second build had its own state folder");
        Assert.DoesNotThrow(() => first.Tensors(), "the refused build released what it had taken and left the first alone");
    }

    [Test]
    public void A_build_that_waits_for_the_run_lock_says_who_holds_it()
    {
        RunLock held = RunLock.Acquire(Workspace.RunLockPathFor(DataPath(".cpbuild")), "the other build", TimeSpan.Zero);
        Task release = Task.Run(() =>
        {
            Thread.Sleep(500);
            held.Dispose();
        });
        var output = new StringWriter();

        using (DataBuild.Open(new BuildOptions(root, "sample.yml", Explain: false, TimeSpan.FromSeconds(30)), output))
        {
            release.Wait();
        }

        Assert.That(output.ToString(), Does.StartWith($"run lock: waiting up to 30 s for the build on this data root (pid {Environment.ProcessId}: the other build) to finish; its lock is {DataPath(".cpbuild", "run.lock")}"));
    }

    [Test]
    public void Features_of_the_sample_load_in_torch_with_weights_only_as_5_by_D_and_match_pytorch_within_1e_4()
    {
        SystemPython.Require("torch", "numpy", "onnx");
        using (DataBuild build = Open())
        {
            build.Features();
        }

        string planes = Path.Combine(root, "planes");
        (int Height, int Width) size = default;
        foreach (string feature in Directory.EnumerateFiles(Path.Combine(root, "data", "features"), "*.pt", SearchOption.AllDirectories))
        {
            string barcode = Path.GetFileName(Path.GetDirectoryName(feature)!);
            string site = Path.GetFileNameWithoutExtension(feature);
            string images = Directory.GetDirectories(Path.Combine(root, "data", "raw", "2020_11_04_CPJUMP1"), barcode + "__*").Single();
            Directory.CreateDirectory(Path.Combine(planes, barcode));
            using var stream = File.Create(Path.Combine(planes, barcode, site + ".u16"));
            for (int channel = 1; channel <= 5; channel++)
            {
                Gray16Image image = TiffDecoder.DecodeFile(Path.Combine(images, "Images", $"{site}p01-ch{channel}sk1fk1fl1.tiff"));
                size = (image.Height, image.Width);
                stream.Write(MemoryMarshal.AsBytes(image.Pixels.AsSpan()));
            }
        }

        using var result = JsonDocument.Parse(SystemPython.Run(
            PyTorchFeaturesScript,
            TinyModel.ModelsDirectory,
            planes,
            size.Height.ToString(CultureInfo.InvariantCulture),
            size.Width.ToString(CultureInfo.InvariantCulture),
            Path.Combine(root, "data", "features")));

        Assert.That(result.RootElement.GetProperty("checked").GetInt32(), Is.EqualTo(3));
        Assert.That(result.RootElement.GetProperty("worst").GetDouble(), Is.LessThanOrEqualTo(1e-4));
    }

    [Test]
    public void A_second_features_run_builds_nothing_and_does_not_load_the_model()
    {
        using DataBuild build = Open();
        FeatureRun first = build.Features();
        FeatureRun second = build.Features();

        Assert.That((first.Report.Count(OutcomeKind.Built), first.ModelLoaded, first.Time.Extraction.Sites), Is.EqualTo((3, true, 3L)));
        Assert.That((second.Report.Count(OutcomeKind.Built), second.Report.Count(OutcomeKind.UpToDate)), Is.EqualTo((0, 3)));
        Assert.That(second.ModelLoaded, Is.False);
        Assert.That(second.Time.Extraction, Is.EqualTo(FeatureTimings.None));
    }

    [Test]
    public void Replacing_the_model_file_rebuilds_every_feature_because_its_digest_changed_and_no_tensor()
    {
        string model = Path.Combine(root, "model.onnx");
        File.Copy(TinyModel.Path, model);
        WriteConfig(model: model);
        RunAll();
        Dictionary<string, byte[]> tensors = Snapshot("data/tensors");
        Dictionary<string, byte[]> features = Snapshot("data/features");

        File.Copy(TinyModel.OtherPath, model, overwrite: true);
        WriteConfig(model: model, modelSha256: TinyModel.OtherSha256);
        using DataBuild build = Open();
        FeatureRun rebuilt = build.Features();

        Assert.That(rebuilt.ModelLoaded, Is.True);
        Assert.That(
            rebuilt.Report.Outcomes.Where(outcome => outcome.Kind != OutcomeKind.Skipped).Select(outcome => (outcome.Kind, outcome.Staleness)),
            Is.EqualTo(Enumerable.Repeat((OutcomeKind.Built, new Staleness(StaleReason.ParamsChanged, "model_sha256 modified")), 3)));
        Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.Zero);
        Assert.That(Snapshot("data/tensors"), Is.EqualTo(tensors));
        Dictionary<string, byte[]> now = Snapshot("data/features");
        Assert.That(now.Keys, Is.EquivalentTo(features.Keys));
        Assert.That(
            now.Where(pair => pair.Key.EndsWith(".pt", StringComparison.Ordinal) && pair.Value.AsSpan().SequenceEqual(features[pair.Key])),
            Is.Empty,
            "every feature file comes from the new model");
        Assert.That(File.ReadAllText(Path.Combine(root, "data.lock.json")), Does.Contain(TinyModel.OtherSha256).And.Not.Contain(TinyModel.Sha256));
    }

    [Test]
    public void A_model_whose_digest_differs_from_the_config_is_an_error_naming_the_config_the_file_and_both_digests()
    {
        WriteConfig(model: TinyModel.OtherPath);
        using DataBuild build = Open();

        var error = Assert.Throws<ConfigException>(() => build.Features());

        Assert.That(error!.Message, Does.Contain("sample.yml").And.Contain(TinyModel.OtherPath).And.Contain(TinyModel.Sha256).And.Contain(TinyModel.OtherSha256));
        Assert.That(SampleRoot.FilesUnder(DataPath("features")), Is.Empty, "nothing but the run locks");
    }

    [Test]
    public void A_model_that_cannot_be_used_fails_the_sites_features_alone_and_the_tensors_are_built_and_recorded()
    {
        WriteConfig(model: TinyModel.OtherPath);
        using DataBuild build = Open();

        var error = Assert.Throws<BuildFailedException>(() => build.TensorsAndFeatures());

        Assert.That(error!.Message, Does.StartWith("features: not built: ").And.Contain("sample.yml").And.Contain(TinyModel.OtherSha256));
        Assert.That(SampleRoot.FilesUnder(DataPath("tensors")).Count(path => path.EndsWith(".pt", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(SampleRoot.FilesUnder(DataPath("features")), Is.Empty, "nothing but the run locks");
        Assert.That(LockedItems("tensors", "BR00116991"), Is.Not.Empty);
    }

    [Test]
    public void Feature_variants_of_two_models_coexist_with_their_own_folders_well_indexes_and_lock_sections_and_reruns_rebuild_nothing()
    {
        WriteConfig(variantLayout: true);
        string tiny = BuildVariant();
        WriteConfig(model: TinyModel.OtherPath, modelSha256: TinyModel.OtherSha256, variantLayout: true);
        string other = BuildVariant();

        Assert.That(tiny, Does.Match("^tiny-[0-9a-f]{8}$"));
        Assert.That(other, Does.Match("^tiny-[0-9a-f]{8}$").And.Not.EqualTo(tiny));
        foreach (string variant in new[] { tiny, other })
        {
            Assert.That(Directory.EnumerateFiles(Path.Combine(root, "data", "features", variant), "*.pt", SearchOption.AllDirectories).Count(), Is.EqualTo(3), variant);
            Assert.That(Directory.EnumerateFiles(Path.Combine(root, "data", "features", variant), WellIndexStage.FileName, SearchOption.AllDirectories).Count(), Is.EqualTo(2), variant);
            Assert.That(Directory.EnumerateFiles(Path.Combine(root, "data.lock.d", $"features-{variant}"), "*.tsv").Count(), Is.EqualTo(2), variant);
        }

        Assert.That(Directory.Exists(Path.Combine(root, "data", "features", "BR00116991")), Is.False, "the reference layout is not written");

        Dictionary<string, byte[]> before = Snapshot("data");
        Dictionary<string, byte[]> manifests = Snapshot("data.lock.d");
        foreach ((string model, string digest) in new[] { (TinyModel.OtherPath, TinyModel.OtherSha256), (TinyModel.Path, TinyModel.Sha256) })
        {
            WriteConfig(model: model, modelSha256: digest, variantLayout: true);
            using DataBuild build = Open();
            FeatureRun rerun = build.Features();
            Assert.That((rerun.Report.Count(OutcomeKind.Built), rerun.ModelLoaded), Is.EqualTo((0, false)), model);
            Assert.That(build.WellIndex().Count(OutcomeKind.Built), Is.Zero, model);
        }

        Assert.That(Snapshot("data"), Is.EqualTo(before));
        // The well-index section describes the configured variant's indexes; each variant's features keep their own.
        Assert.That(Snapshot("data.lock.d").Where(pair => pair.Key.Contains("features-", StringComparison.Ordinal)), Is.EquivalentTo(manifests.Where(pair => pair.Key.Contains("features-", StringComparison.Ordinal))));
        Assert.That(File.ReadAllText(Path.Combine(root, "data.lock.json")), Does.Contain($"\"features-{tiny}\"").And.Contain($"\"features-{other}\""));
    }

    private string CompoundPlatemap => DataPath("metadata", "platemaps", "2020_11_04_CPJUMP1", "platemap", "JUMP-Target-1_compound_platemap.txt");

    private DataBuild Open(bool explain = false, TextWriter? output = null) => sample.Open(explain, output);

    /// <summary>Runs targets in order as build.cake does: a target's failure goes to <see cref="DataBuild.Defer"/>, which rethrows what must stop the run.</summary>
    private static void RunAsCake(DataBuild build, params Action<DataBuild>[] targets)
    {
        foreach (Action<DataBuild> target in targets)
        {
            try
            {
                target(build);
            }
            catch (BuildFailedException exception)
            {
                build.Defer(exception);
            }
        }
    }

    private void RunAll() => sample.RunAll();

    private string[] LockedItems(string target, string group) =>
        ItemManifest.Parse(new LockStore(Path.Combine(root, "data.lock.json")).ReadManifest(target, group) ?? string.Empty, group).Select(line => line.ItemId).ToArray();

    private string DataPath(params string[] parts) => Path.Combine([root, "data", .. parts]);

    /// <summary>A well index's wells as "well pert_type broad_sample sites".</summary>
    private static string[] WellsIn(string path)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("wells").EnumerateArray()
            .Select(well => string.Join(' ', [
                well.GetProperty("well").GetString()!,
                well.GetProperty("pert_type").GetString()!,
                well.GetProperty("broad_sample").GetString()!,
                .. well.GetProperty("sites").EnumerateArray().Select(site => site.GetString()!)]))
            .ToArray();
    }

    /// <summary>Builds the features variant of the current config and its well indexes; returns its directory name.</summary>
    private string BuildVariant()
    {
        using DataBuild build = Open();
        FeatureRun run = build.Features();
        build.Metadata();
        build.WellIndex();
        Assert.That(run.Report.Count(OutcomeKind.Built), Is.EqualTo(3));
        return run.Report.Stage["features-".Length..];
    }

    private Dictionary<string, byte[]> Snapshot() => sample.Snapshot();

    /// <summary>Every file under one folder of the root (local state excluded), by relative path.</summary>
    private Dictionary<string, byte[]> Snapshot(string folder) =>
        sample.Snapshot(path => path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && !path.Contains($".cpbuild{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private void WriteConfig(int tensorSize = 32, string? model = null, string modelSha256 = TinyModel.Sha256, bool variantLayout = false) =>
        sample.WriteConfig(tensorSize, model: model, modelSha256: modelSha256, layout: variantLayout ? "variant" : "reference");
}
