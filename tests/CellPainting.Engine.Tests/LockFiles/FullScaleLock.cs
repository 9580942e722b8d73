using System.Globalization;
using System.Text;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;

namespace CellPainting.Engine.Tests.LockFiles;

/// <summary>
/// The lock of a whole CPJUMP1 batch build, written through the real <see cref="LockStore"/>: 51 plates of 3,456
/// sites (16 × 24 wells × 9 fields) for tensors and features, a metadata cache, 4 splits, and a download of 5 images
/// per site plus two metadata prefixes. Hashes are pseudo-random with fixed seeds, so the same call writes the same
/// bytes. Shared with bench/lock (linked there), hence no test framework here.
/// </summary>
public static class FullScaleLock
{
    public const int Plates = 51;
    public const int SitesPerPlate = 16 * 24 * 9;
    public const int ImagesPerSite = 5;
    public const string Tensors = "tensors";

    /// <summary>
    /// Hashes are slices at random offsets of one random hex text: far cheaper than a hash per value, and, at 2 MB,
    /// too long for compression (zlib looks 32 kB back) to find the repeats, so compressed sizes stay realistic.
    /// </summary>
    private static readonly Lazy<string> HexPool = new(() => Hex(new Random(0), 1 << 20));

    public static IReadOnlyDictionary<string, string> TensorParameters { get; } = new Dictionary<string, string>
    {
        ["channels"] = "1,2,3,4,5",
        ["dtype"] = "float32",
        ["resize"] = "bilinear,align_corners=false,antialias=false,torch>=2.0 float32",
        ["scale"] = "uint16/65535",
        ["size"] = "384",
    };

    public static string Barcode(int plate) => string.Create(CultureInfo.InvariantCulture, $"BR{116991 + plate:D8}");

    /// <summary>Writes every target; <paramref name="model"/> stands for the feature model: another one changes every feature.</summary>
    public static void Write(LockStore store, string model = "model-1")
    {
        ArgumentNullException.ThrowIfNull(store);
        RecordSites(store, Tensors, TensorParameters, SiteRecords(Tensors, "tensor", "tensors"));
        RecordSites(store, "features", new Dictionary<string, string> { ["input_size"] = "224", ["model_sha256"] = ContentHash.OfText(model) }, SiteRecords("features", "features", model));
        RecordSites(store, "metadata", new Dictionary<string, string> { ["batch"] = "2020_11_04_CPJUMP1" }, [Record("metadata/2020_11_04_CPJUMP1", "metadata", "cache", new Random(1))]);
        var random = new Random(2);
        string[] strategies = ["cellclip_cpjump_style", "cpjump1_official_gene_compound", "cpjump1_official_representation", "pert_type"];
        RecordSites(store, "splits", new Dictionary<string, string> { ["seed"] = "42" }, strategies.Select(strategy => Record("splits/" + strategy, "splits", "split", random)).ToArray());
        store.Record("download", 1, new Dictionary<string, string> { ["bucket"] = "cellpainting-gallery", ["objects"] = "fluorescence channels 1-5 + metadata" }, DownloadGroups());
    }

    /// <summary>One record per site of every plate, in site order; <paramref name="variant"/> seeds the hashes.</summary>
    public static BuildRecord[] SiteRecords(string target, string output, string variant)
    {
        var records = new BuildRecord[Plates * SitesPerPlate];
        string[] sites = Enumerable.Range(0, SitesPerPlate).Select(SiteName).ToArray();
        for (int plate = 0; plate < Plates; plate++)
        {
            var random = new Random(Seed($"{target} {variant} {plate}"));
            string hex = HexPool.Value;
            string barcode = Barcode(plate);
            for (int site = 0; site < SitesPerPlate; site++)
            {
                records[(plate * SitesPerPlate) + site] = new BuildRecord(
                    $"{barcode}/{sites[site]}", barcode, Slice(hex, random, 64), 1, string.Empty, [], [new HashedName(output, Slice(hex, random, 64))]);
            }
        }

        return records;
    }

    public static void RecordSites(LockStore store, string target, IReadOnlyDictionary<string, string> parameters, IReadOnlyList<BuildRecord> records)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Record(new CopyStage([]) { Name = target, Parameters = new StageParameters(parameters) }, records);
    }

    private static Dictionary<string, GroupContent> DownloadGroups()
    {
        var groups = new Dictionary<string, GroupContent>(StringComparer.Ordinal);
        // Every plate has the same image names. Sites in index order, channels 1-5 within each: already ordinal order.
        string[] keys = Enumerable.Range(0, SitesPerPlate)
            .SelectMany(site => Enumerable.Range(1, ImagesPerSite).Select(channel => $"{SiteName(site)}p01-ch{channel}sk1fk1fl1.tiff"))
            .ToArray();
        for (int plate = 0; plate < Plates; plate++)
        {
            var random = new Random(Seed($"download {plate}"));
            groups[Barcode(plate)] = DownloadGroup(keys, $"s3://cellpainting-gallery/cpg0000-jump-pilot/source_4/images/2020_11_04_CPJUMP1/images/{Barcode(plate)}__2020-11-05T19_51_35-Measurement1/Images/", 2_000_000, random);
        }

        groups["metadata-platemaps"] = DownloadGroup(
            Enumerable.Range(0, 60).Select(index => $"platemap/JUMP-Target-1_compound_platemap_{index:D2}.txt").ToArray(),
            "s3://cellpainting-gallery/cpg0000-jump-pilot/source_4/workspace/metadata/platemaps/2020_11_04_CPJUMP1/",
            10_000,
            new Random(3));
        groups["metadata-external-metadata"] = DownloadGroup(
            Enumerable.Range(0, 8).Select(index => $"JUMP-Target-1_compound_metadata_{index}.tsv").ToArray(),
            "s3://cellpainting-gallery/cpg0000-jump-pilot/source_4/workspace/metadata/external_metadata/",
            100_000,
            new Random(4));
        return groups;
    }

    private static GroupContent DownloadGroup(string[] keys, string url, int typicalSize, Random random)
    {
        string hex = HexPool.Value;
        var manifest = new StringBuilder("# key\tetag\tsize\tsha256\n");
        long bytes = 0;
        foreach (string key in keys)
        {
            int size = typicalSize + random.Next(typicalSize / 2);
            bytes += size;
            manifest.Append(key).Append('\t').Append(hex.AsSpan(random.Next(hex.Length - 32), 32)).Append('\t').Append(size).Append('\t')
                .Append(hex.AsSpan(random.Next(hex.Length - 64), 64)).Append('\n');
        }

        return new GroupContent(
            Encoding.UTF8.GetBytes(manifest.ToString()),
            keys.Length,
            new Dictionary<string, string>
            {
                ["bytes"] = bytes.ToString(CultureInfo.InvariantCulture),
                ["listing_digest"] = "sha256:" + Hex(random, 32),
                ["url"] = url,
            });
    }

    private static BuildRecord Record(string itemId, string group, string output, Random random) =>
        new(itemId, group, Hex(random, 32), 1, string.Empty, [], [new HashedName(output, Hex(random, 32))]);

    private static string Slice(string hex, Random random, int length) => hex.Substring(random.Next(hex.Length - length), length);

    private static string SiteName(int site) =>
        string.Create(CultureInfo.InvariantCulture, $"r{(site / 216) + 1:D2}c{(site / 9 % 24) + 1:D2}f{(site % 9) + 1:D2}");

    private static int Seed(string text) => int.Parse(ContentHash.OfText(text)[..7], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Hex(Random random, int bytes)
    {
        byte[] buffer = new byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }
}
