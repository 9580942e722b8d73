using Amazon.S3;
using CellPainting.Stages.Download;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Download.Support;

/// <summary>
/// A moto bucket in the real CPJUMP1 key layout: two configured plates and one unconfigured plate, each with four sites
/// × eight channels and an Index.idx.xml; the real platemap and external metadata files from the embedded sample;
/// decoys next to the synced prefixes; one image uploaded in three parts. Publicly readable, like the gallery.
/// </summary>
internal sealed class GalleryBucket
{
    public const string Batch = "2020_11_04_CPJUMP1";
    public const string UnconfiguredPlate = "BR00116993__2020-11-05T23_11_39-Measurement1";

    private const string Root = CpJump1SyncUnits.DatasetPrefix;
    private const string SampleResourcePrefix = "cpjump1-sample/";

    private readonly SeededBucket _remote;
    private int _contentSeed;

    private GalleryBucket(SeededBucket remote)
    {
        _remote = remote;
    }

    public static IReadOnlyList<string> Plates { get; } = ["BR00116991__2020-11-05T19_51_35-Measurement1", "BR00116992__2020-11-05T21_31_31-Measurement1"];

    public static IReadOnlyList<string> Sites { get; } = ["r01c01f01p01", "r01c01f02p01", "r02c03f01p01", "r02c03f02p01"];

    /// <summary>The image uploaded with multipart (its ETag ends in '-3').</summary>
    public static string MultipartImageKey => ImageKey(Plates[0], Sites[0], 1);

    public string Name => _remote.Name;

    /// <summary>Current content of every object in the bucket, by key.</summary>
    public IReadOnlyDictionary<string, byte[]> Objects => _remote.Objects;

    /// <summary>Metadata keys seeded from the embedded sample (the real S3 files), relative to the dataset root.</summary>
    public static IReadOnlyList<string> MetadataKeys { get; } =
        [.. typeof(S3Synchronizer).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(SampleResourcePrefix + Root, StringComparison.Ordinal))
            .Select(name => name[SampleResourcePrefix.Length..])
            .Order(StringComparer.Ordinal)];

    public static string ImagesPrefix(string plate) => $"{Root}images/{Batch}/images/{plate}/Images/";

    public static string ImageKey(string plate, string site, int channel) => $"{ImagesPrefix(plate)}{site}-ch{channel}sk1fk1fl1.tiff";

    public static string IndexKey(string plate) => $"{ImagesPrefix(plate)}Index.idx.xml";

    public static async Task<GalleryBucket> CreateAsync(AmazonS3Client admin, string name)
    {
        var bucket = new GalleryBucket(await SeededBucket.CreatePublicAsync(admin, name));

        foreach (var plate in Plates.Append(UnconfiguredPlate))
        {
            foreach (var site in Sites)
            {
                for (var channel = 1; channel <= 8; channel++)
                {
                    var key = ImageKey(plate, site, channel);
                    if (key != MultipartImageKey)
                    {
                        await bucket.PutAsync(key, bucket.NextContent());
                    }
                }
            }

            await bucket.PutAsync(IndexKey(plate), "<EvaluationInputData/>"u8.ToArray());
        }

        await bucket.PutMultipartAsync(MultipartImageKey);

        foreach (var key in MetadataKeys)
        {
            await using var resource = typeof(S3Synchronizer).Assembly.GetManifestResourceStream(SampleResourcePrefix + key)!;
            using var copy = new MemoryStream();
            await resource.CopyToAsync(copy);
            await bucket.PutAsync(key, copy.ToArray());
        }

        // Decoys that share a name prefix with synced folders but lie outside them.
        await bucket.PutAsync($"{Root}workspace/metadata/platemaps/{Batch}_DL/barcode_platemap.csv", "Assay_Plate_Barcode,Plate_Map_Name\n"u8.ToArray());
        await bucket.PutAsync($"{Root}images/{Batch}/illum/BR00116991/BR00116991_IllumDNA.npy", bucket.NextContent());
        return bucket;
    }

    public Task PutAsync(string key, byte[] content) => _remote.PutAsync(key, content);

    public Task DeleteAsync(string key) => _remote.DeleteAsync(key);

    public Task<string> ETagAsync(string key) => _remote.ETagAsync(key);

    /// <summary>Fresh pseudo-random bytes (200–3,000 of them), different on every call.</summary>
    public byte[] NextContent()
    {
        var random = new Random(++_contentSeed);
        var content = new byte[random.Next(200, 3000)];
        random.NextBytes(content);
        return content;
    }

    private Task PutMultipartAsync(string key)
    {
        var random = new Random(-1);
        var parts = new[] { new byte[2 * MotoServer.MinimumPartSize], new byte[2 * MotoServer.MinimumPartSize], new byte[700] };
        foreach (var part in parts)
        {
            random.NextBytes(part);
        }

        return _remote.PutMultipartAsync(key, parts);
    }
}
