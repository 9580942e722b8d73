using System.Globalization;
using System.Text.Json;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Execution;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Imaging;
using CellPainting.Stages.Layouts;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Torch;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>
/// The Gallery and spora_io trees on the sample (two plates, tensors 32×32, raw 80 px at 2.392 µm → 5.98 µm per
/// tensor pixel), every Parquet file read back with DuckDB and checked against the .pt files, the metadata cache and
/// numpy.
/// </summary>
public sealed class DataBuildLayoutsTests
{
    private const string Barcode = "BR00116991";
    private const string Resolution = "5_98mpp";
    private const string LayoutSection =
        """layout: { spora_io: { image_mpp: 2.392, image_size: 80, standardization: ["identity", "quantile_clipping/uq_0.99_image", "quantile_clipping/uq_0.9_global", "quantile_clipping_log1p/uq_0.75_image", "quantile_clipping_log1p/uq_0.95_global"], tile_sizes: [16, 24], tile_tolerance: 0.5 } }""";

    private SampleRoot sample = null!;

    [SetUp]
    public void BuildSample()
    {
        sample = new SampleRoot();
        sample.WriteConfig(sections: [LayoutSection]);
        sample.RunAll();
    }

    [TearDown]
    public void DeleteSample() => sample.Dispose();

    [Test]
    public void Site_and_well_profiles_read_by_duckdb_hold_the_feature_files_values_and_the_metadata_cache_fields()
    {
        RunLayouts();
        string variant = Directory.GetDirectories(sample.PathOf("data", "gallery", "workspace_dl", "profiles")).Single();
        MetadataCache cache = MetadataCacheJson.Deserialize(File.ReadAllBytes(sample.PathOf("data", "metadata", "cache", "2020_11_04_CPJUMP1.json")), "cache");
        foreach (string barcode in new[] { "BR00116991", "BR00117000" })
        {
            string[] features = [.. Directory.GetFiles(sample.PathOf("data", "features", barcode), "*.pt").Order(StringComparer.Ordinal)];
            float[][] values = [.. features.Select(path => TorchFile.ReadFloat32(File.OpenRead(path)).Data.ToArray())];
            int dimension = values[0].Length / 5;
            string sites = Path.Combine(variant, "2020_11_04_CPJUMP1", barcode, $"{barcode}_sites.parquet");
            string wells = Path.Combine(variant, "2020_11_04_CPJUMP1", barcode, $"{barcode}_wells.parquet");

            IReadOnlyList<(string Name, string Type)> columns = DuckDbParquet.Columns(sites);
            string[] metadataColumns = ["Metadata_Source", "Metadata_Batch", "Metadata_Plate", "Metadata_Well", "Metadata_Site", .. ProfileTables.PerturbationColumns];
            Assert.That(columns.Take(metadataColumns.Length).Select(column => column.Name), Is.EqualTo(metadataColumns));
            Assert.That(columns.Where(column => column.Name == "Metadata_Site").Select(column => column.Type), Is.EqualTo(new[] { "INTEGER" }));
            Assert.That(columns.Skip(metadataColumns.Length).Select(column => column.Name), Is.EqualTo(Enumerable.Range(0, 5 * dimension).Select(index => ProfileTables.FeatureColumn((index / dimension) + 1, index % dimension))));
            Assert.That(columns.Skip(metadataColumns.Length).Select(column => column.Type).Distinct(), Is.EqualTo(new[] { "FLOAT" }));

            IReadOnlyList<object?[]> rows = DuckDbParquet.Query($"SELECT * FROM read_parquet({DuckDbParquet.Literal(sites)})");
            Assert.That(rows, Has.Count.EqualTo(features.Length));
            for (int row = 0; row < rows.Count; row++)
            {
                string site = Path.GetFileNameWithoutExtension(features[row]);
                string well = WellOf(features[row]);
                PerturbationInfo info = cache.Lookup(new WellKey(barcode, well));
                Assert.That(rows[row][..10], Is.EqualTo(new object?[] { "source_4", "2020_11_04_CPJUMP1", barcode, well, int.Parse(site[7..9], CultureInfo.InvariantCulture), info.BroadSample, info.PertType.ToName(), info.PertIname, info.Gene, info.ControlType }), site);
                Assert.That(rows[row][10..], Is.EqualTo(values[row].Cast<object>().ToArray()), site);
            }

            IReadOnlyList<object?[]> wellRows = DuckDbParquet.Query($"SELECT * FROM read_parquet({DuckDbParquet.Literal(wells)}) ORDER BY Metadata_Well");
            var byWell = features.Select((path, index) => (Well: WellOf(path), Values: values[index])).GroupBy(site => site.Well).OrderBy(group => group.Key, StringComparer.Ordinal).ToArray();
            Assert.That(wellRows.Select(row => (string)row[3]!), Is.EqualTo(byWell.Select(group => group.Key)));
            for (int row = 0; row < wellRows.Count; row++)
            {
                float[] mean = [.. Enumerable.Range(0, 5 * dimension).Select(index => (float)(byWell[row].Sum(site => (double)site.Values[index]) / byWell[row].Count()))];
                Assert.That(wellRows[row][4], Is.EqualTo(byWell[row].Count()), "Metadata_Site_Count");
                Assert.That(wellRows[row][10..], Is.EqualTo(mean.Cast<object>().ToArray()));
            }

            Assert.That(DuckDbParquet.KeyValueMetadata(wells)["cellpainting.aggregation"], Is.EqualTo(ProfileTables.WellAggregation));
            Assert.That(DuckDbParquet.KeyValueMetadata(sites)["cellpainting.level"], Is.EqualTo("site"));
        }
    }

    [Test]
    public void The_profile_index_lists_every_profile_file_with_its_sha256_and_permalinks_only_when_a_commit_is_given()
    {
        RunLayouts();
        string variant = Directory.GetDirectories(sample.PathOf("data", "gallery", "workspace_dl", "profiles")).Single();
        string indexPath = Path.Combine(variant, ProfileIndexJson.FileName);
        using (JsonDocument index = JsonDocument.Parse(File.ReadAllBytes(indexPath)))
        {
            JsonElement[] entries = [.. index.RootElement.EnumerateArray()];
            Assert.That(entries.Select(entry => entry.GetProperty("url").GetString()), Is.EqualTo(new[]
            {
                "2020_11_04_CPJUMP1/BR00116991/BR00116991_sites.parquet",
                "2020_11_04_CPJUMP1/BR00116991/BR00116991_wells.parquet",
                "2020_11_04_CPJUMP1/BR00117000/BR00117000_sites.parquet",
                "2020_11_04_CPJUMP1/BR00117000/BR00117000_wells.parquet",
            }));
            foreach (JsonElement entry in entries)
            {
                string file = Path.Combine(variant, entry.GetProperty("url").GetString()!);
                Assert.That(entry.GetProperty("etag").GetString(), Is.EqualTo("sha256:" + Engine.State.ContentHash.Of(File.ReadAllBytes(file))));
                Assert.That(entry.GetProperty("recipe_permalink").ValueKind, Is.EqualTo(JsonValueKind.Null));
            }
        }

        byte[] first = File.ReadAllBytes(indexPath);
        sample.Run(build => build.Profiles());
        Assert.That(File.ReadAllBytes(indexPath), Is.EqualTo(first), "same lock, no commit: same bytes");

        sample.WriteConfig(sections: [LayoutSection.Replace("layout: {", "layout: { gallery: { repository: \"https://github.com/example/cellpainting-build\" },", StringComparison.Ordinal)]);
        sample.Run(build => build.Profiles("0123abcd"));
        using JsonDocument withCommit = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        JsonElement firstEntry = withCommit.RootElement[0];
        Assert.That(firstEntry.GetProperty("recipe_permalink").GetString(), Is.EqualTo("https://github.com/example/cellpainting-build/tree/0123abcd"));
        Assert.That(firstEntry.GetProperty("config_permalink").GetString(), Is.EqualTo("https://github.com/example/cellpainting-build/blob/0123abcd/sample.yml"));
    }

    [Test]
    public void Standardization_quantiles_equal_numpys_linear_quantiles_exactly_and_the_moments_numpys_after_clipping()
    {
        SystemPython.Require("torch", "numpy");
        RunLayouts();
        string[] tensors = [.. Directory.GetFiles(sample.PathOf("data", "tensors", Barcode), "*.pt").Order(StringComparer.Ordinal)];
        string folder = sample.PathOf("data", "spora_io", Barcode, "cellpainting", Resolution, "standardization");
        // Per spec: per site (image) or over the plate (global) the quantile of each channel, then mean and std of the clipped values.
        string oracle = SystemPython.Run(
            """
            import sys, numpy as np, torch
            paths = sys.argv[1:]
            x = [torch.load(p).numpy() for p in paths]
            def line(tag, values, q, log):
                up = np.quantile(values, q) if q is not None else None
                c = values.astype(np.float64) if q is None else np.minimum(values.astype(np.float64), up)
                c = np.log1p(c) if log else c
                print(tag, repr(float(up)) if q is not None else "-", repr(float(c.mean())), repr(float(c.std())))
            for spec, q, log in [("quantile_clipping/uq_0.99_image", 0.99, False), ("quantile_clipping_log1p/uq_0.75_image", 0.75, True)]:
                for p, t in zip(paths, x):
                    for ch in range(5):
                        line(f"{spec} {p.split('/')[-1][:-3]} {ch + 1}", t[ch].ravel(), q, log)
            for spec, q, log in [("identity", None, False), ("quantile_clipping/uq_0.9_global", 0.9, False), ("quantile_clipping_log1p/uq_0.95_global", 0.95, True)]:
                for ch in range(5):
                    line(f"{spec} plate {ch + 1}", np.concatenate([t[ch].ravel() for t in x]), q, log)
            """,
            tensors);
        string[] lines = oracle.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo((2 * tensors.Length * 5) + 15));
        foreach (string line in lines)
        {
            string[] fields = line.Split(' ');
            (string spec, string site, int channel) = (fields[0], fields[1], int.Parse(fields[2], CultureInfo.InvariantCulture));
            string file = site == "plate" ? Path.Combine(folder, spec, StandardizationStage.GlobalFile) : Path.Combine(folder, spec, StandardizationStage.ImageFolder, site + ".parquet");
            string quantile = spec == "identity" ? "NULL::DOUBLE" : "upper_quantile";
            object?[] row = DuckDbParquet.Query($"SELECT {quantile}, mean, std FROM read_parquet({DuckDbParquet.Literal(file)}) WHERE channel = {channel}").Single();
            if (spec != "identity")
            {
                Assert.That(((double)row[0]!).ToString("R", CultureInfo.InvariantCulture), Is.EqualTo(Python(fields[3])), $"{spec} {site} channel {channel}: quantile");
            }

            Assert.That((double)row[1]!, Is.EqualTo(double.Parse(fields[4], CultureInfo.InvariantCulture)).Within(1e-12).Percent, $"{spec} {site} channel {channel}: mean");
            Assert.That((double)row[2]!, Is.EqualTo(double.Parse(fields[5], CultureInfo.InvariantCulture)).Within(1e-6).Percent, $"{spec} {site} channel {channel}: std");
        }

        Assert.That(DuckDbParquet.Columns(Path.Combine(folder, "quantile_clipping/uq_0.99_image", StandardizationStage.ImageFolder, "r01c01f01.parquet")).Select(column => column.Name + " " + column.Type), Is.EqualTo(new[] { "tissue_id VARCHAR", "channel INTEGER", "upper_quantile DOUBLE", "mean DOUBLE", "std DOUBLE" }));
    }

    [Test]
    public void Tiling_lays_spora_ios_grid_keeping_edge_windows_at_their_top_left_and_means_the_pixels_inside()
    {
        RunLayouts();
        string folder = sample.PathOf("data", "spora_io", Barcode, "tiling", Resolution);
        string[] tensors = [.. Directory.GetFiles(sample.PathOf("data", "tensors", Barcode), "*.pt").Order(StringComparer.Ordinal)];
        // 32 px sites: size 16 gives four whole tiles; size 24 gives (0,0) whole, (0,24) and (24,0) 1/3 inside
        // (dropped at tolerance 0.5), (24,24) 1/9 inside (dropped): one tile.
        var expected = new Dictionary<int, (int Row, int Col)[]> { [16] = [(0, 0), (0, 16), (16, 0), (16, 16)], [24] = [(0, 0)] };
        foreach ((int size, (int Row, int Col)[] corners) in expected)
        {
            string coordinates = Path.Combine(folder, $"grid_stride{size}", $"{size}_tile_coordinates.parquet");
            IReadOnlyList<object?[]> rows = DuckDbParquet.Query($"SELECT tissue_id, tile_id, row, col FROM read_parquet({DuckDbParquet.Literal(coordinates)})");
            Assert.That(rows.Select(row => ((string)row[0]!, (int)row[1]!, (int)row[2]!, (int)row[3]!)), Is.EqualTo(
                tensors.SelectMany(path => corners.Select((corner, id) => (Path.GetFileNameWithoutExtension(path), id, corner.Row, corner.Col)))));

            string stats = Path.Combine(folder, $"grid_stride{size}", $"{size}_tile_stats.parquet");
            IReadOnlyList<object?[]> statRows = DuckDbParquet.Query($"SELECT tissue_id, tile_id, mean_ch1, mean_ch2, mean_ch3, mean_ch4, mean_ch5 FROM read_parquet({DuckDbParquet.Literal(stats)})");
            Assert.That(statRows, Has.Count.EqualTo(rows.Count));
            foreach (object?[] row in statRows)
            {
                float[] tensor = TorchFile.ReadFloat32(File.OpenRead(tensors.Single(path => Path.GetFileNameWithoutExtension(path) == (string)row[0]!))).Data.ToArray();
                (int top, int left) = corners[(int)row[1]!];
                for (int channel = 0; channel < 5; channel++)
                {
                    double mean = Enumerable.Range(top, Math.Min(size, 32 - top)).SelectMany(y => Enumerable.Range(left, Math.Min(size, 32 - left)).Select(x => (double)tensor[(channel * 1024) + (y * 32) + x])).Average();
                    Assert.That((double)row[2 + channel]!, Is.EqualTo(mean).Within(1e-12).Percent);
                }
            }
        }
    }

    [Test]
    public void One_site_changed_rebuilds_its_plates_profiles_global_statistics_and_tiling_and_its_own_image_statistics_only()
    {
        RunLayouts();
        string tiff = Directory.EnumerateFiles(sample.PathOf("data", "raw"), "r01c01f01p01-ch2sk1fk1fl1.tiff", SearchOption.AllDirectories).Single(path => path.Contains(Barcode, StringComparison.Ordinal));
        Gray16Image image = TiffDecoder.DecodeFile(tiff);
        image.Pixels[0] ^= 0x0101;
        File.WriteAllBytes(tiff, TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.Lzw, horizontalPredictor: true, rowsPerStrip: 16, tileSize: 0)));
        using DataBuild build = sample.Open();
        build.TensorsAndFeatures();

        string[] Rebuilt(StageReport report) => [.. report.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Built).Select(outcome => outcome.ItemId).Order(StringComparer.Ordinal)];
        StageReport profiles = build.Profiles();
        StageReport standardization = build.Standardization();
        StageReport tiling = build.Tiling();

        Assert.That(Rebuilt(profiles), Is.EqualTo(new[] { Barcode }));
        Assert.That(Rebuilt(standardization), Is.EqualTo(new[] { Barcode, $"{Barcode}/r01c01f01" }));
        Assert.That(Rebuilt(tiling), Is.EqualTo(new[] { Barcode }));
        Assert.That(profiles.Count(OutcomeKind.UpToDate) + standardization.Count(OutcomeKind.UpToDate) + tiling.Count(OutcomeKind.UpToDate), Is.EqualTo(
            profiles.Outcomes.Count + standardization.Outcomes.Count + tiling.Outcomes.Count - 4));
    }

    [Test]
    public void Rebuilding_the_layouts_from_scratch_gives_the_same_bytes_and_a_second_run_rebuilds_nothing()
    {
        RunLayouts();
        Dictionary<string, byte[]> first = sample.Snapshot(path => path.StartsWith("data/gallery", StringComparison.Ordinal) || path.StartsWith("data/spora_io", StringComparison.Ordinal));
        using (DataBuild build = sample.Open())
        {
            Assert.That(build.Profiles().Count(OutcomeKind.Built) + build.Standardization().Count(OutcomeKind.Built) + build.Tiling().Count(OutcomeKind.Built), Is.Zero);
        }

        Directory.Delete(sample.PathOf("data", "gallery"), recursive: true);
        Directory.Delete(sample.PathOf("data", "spora_io"), recursive: true);
        RunLayouts();

        Assert.That(sample.Snapshot(path => path.StartsWith("data/gallery", StringComparison.Ordinal) || path.StartsWith("data/spora_io", StringComparison.Ordinal)), Is.EqualTo(first));
    }

    [Test]
    public void Verify_rehashes_and_sample_rebuilds_the_layout_targets_the_lock_records_and_names_a_modified_profile()
    {
        (string fresh, BuildFailedException? none) = sample.Run(build => build.Verify(sample: 3, seed: 1));
        Assert.That(none, Is.Null, fresh);

        RunLayouts();
        (string verified, BuildFailedException? passed) = sample.Run(build => build.Verify(sample: 3, seed: 1));
        Assert.That(passed, Is.Null, verified);
        Assert.That(verified, Does.Contain("verify profiles: 2 item(s)").And.Contain("verify standardization: ").And.Contain("verify tiling: 2 item(s)"));

        string variant = Directory.GetDirectories(sample.PathOf("data", "gallery", "workspace_dl", "profiles")).Single();
        File.AppendAllText(Path.Combine(variant, "2020_11_04_CPJUMP1", Barcode, $"{Barcode}_wells.parquet"), "x");
        (string modified, BuildFailedException? failed) = sample.Run(build => build.Verify());
        Assert.That(failed, Is.Not.Null);
        Assert.That(modified, Does.Contain($"{Barcode}_wells.parquet"));
    }

    [Test]
    public void Without_a_configured_mpp_each_plates_index_xml_names_the_resolution_and_a_plate_without_one_fails_alone()
    {
        sample.WriteConfig(sections: ["""layout: { spora_io: { standardization: ["identity"], tile_sizes: [16] } }"""]);
        string images = Path.GetDirectoryName(Directory.EnumerateFiles(sample.PathOf("data", "raw"), "*.tiff", SearchOption.AllDirectories).First(path => path.Contains(Barcode, StringComparison.Ordinal)))!;
        File.WriteAllText(Path.Combine(images, HarmonyIndex.FileName), """
            <?xml version="1.0" encoding="utf-8"?>
            <EvaluationInputData xmlns="http://www.perkinelmer.com/PEHH/HarmonyV5">
              <Images>
                <Image Version="1">
                  <ImageResolutionX Unit="m">5.98E-07</ImageResolutionX>
                  <ImageSizeX>1080</ImageSizeX>
                </Image>
              </Images>
            </EvaluationInputData>
            """);

        (string output, BuildFailedException? error) = sample.Run(build => build.Standardization());

        Assert.That(error, Is.Not.Null);
        Assert.That(output, Does.Contain($"BR00117000: {sample.PathOf("data", "raw", "2020_11_04_CPJUMP1", SampleRoot.SecondPlate, "Images", HarmonyIndex.FileName)} not found"));
        // 0.598 µm × 1080 px / 32 px = 20.1825 µm per tensor pixel (20.182500000000005 in float64).
        Assert.That(File.Exists(sample.PathOf("data", "spora_io", Barcode, "cellpainting", "20_183mpp", "standardization", "identity", StandardizationStage.GlobalFile)), Is.True);
    }

    private static string WellOf(string path)
    {
        string site = Path.GetFileNameWithoutExtension(path);
        return $"{(char)('A' + int.Parse(site[1..3], CultureInfo.InvariantCulture) - 1)}{site[4..6]}";
    }

    /// <summary>Python's repr of a float and .NET's round-trip form differ only in exponent style.</summary>
    private static string Python(string repr) => double.Parse(repr, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);

    private void RunLayouts()
    {
        using DataBuild build = sample.Open();
        build.Profiles();
        build.Standardization();
        build.Tiling();
    }
}
