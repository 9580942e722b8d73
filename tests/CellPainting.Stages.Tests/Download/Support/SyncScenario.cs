using CellPainting.Stages.Download;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Download.Support;

/// <summary>One test's world: a freshly seeded gallery bucket, an empty work folder, and the expected mirror.</summary>
internal sealed class SyncScenario : IDisposable
{
    private const string MetadataKeyRoot = CpJump1SyncUnits.DatasetPrefix + "workspace/metadata/";

    private SyncScenario(LoopbackS3 s3, GalleryBucket bucket, string workDirectory)
    {
        S3 = s3;
        Bucket = bucket;
        WorkDirectory = workDirectory;
    }

    public LoopbackS3 S3 { get; }

    public GalleryBucket Bucket { get; }

    public string WorkDirectory { get; }

    public string MetadataDirectory => Path.Combine(WorkDirectory, "data", "metadata");

    public string RawImagesDirectory => Path.Combine(WorkDirectory, "data", "raw");

    /// <summary>Retries fast enough for tests; everything else as in production, through the proxy, unsigned.</summary>
    public S3SyncOptions Options => new()
    {
        Bucket = Bucket.Name,
        EndpointUrl = S3.Proxy.Endpoint,
        Retry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    public static async Task<SyncScenario> CreateAsync(LoopbackS3 s3)
    {
        var bucket = await GalleryBucket.CreateAsync(s3.Admin, LoopbackS3.NewBucketName("gallery"));
        var workDirectory = Path.Combine(Path.GetTempPath(), "cpjump1-sync-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDirectory);
        s3.Proxy.ClearLog();
        return new SyncScenario(s3, bucket, workDirectory);
    }

    public IReadOnlyList<SyncUnit> Units(ImageObjectSelection selection = ImageObjectSelection.Fluorescence) =>
        CpJump1SyncUnits.Create(GalleryBucket.Batch, GalleryBucket.Plates, MetadataDirectory, RawImagesDirectory, selection);

    /// <summary>Local path a key must be mirrored to, written out from the reference layout.</summary>
    public string ExpectedPath(string key)
    {
        if (key.StartsWith(MetadataKeyRoot, StringComparison.Ordinal))
        {
            return Path.Combine(MetadataDirectory, key[MetadataKeyRoot.Length..]);
        }

        var plate = GalleryBucket.Plates.Single(p => key.StartsWith(GalleryBucket.ImagesPrefix(p), StringComparison.Ordinal));
        return Path.Combine(RawImagesDirectory, GalleryBucket.Batch, plate, "Images", key[GalleryBucket.ImagesPrefix(plate).Length..]);
    }

    /// <summary>
    /// Keys a sync must fetch: the metadata, and per configured plate ch1–ch5 (or all channels and the index), less any
    /// the test has deleted from the bucket.
    /// </summary>
    public IReadOnlyList<string> ExpectedKeys(ImageObjectSelection selection = ImageObjectSelection.Fluorescence)
    {
        var lastChannel = selection == ImageObjectSelection.Everything ? 8 : 5;
        var keys = new List<string>(GalleryBucket.MetadataKeys);
        foreach (var plate in GalleryBucket.Plates)
        {
            keys.AddRange(GalleryBucket.Sites.SelectMany(site => Enumerable.Range(1, lastChannel).Select(channel => GalleryBucket.ImageKey(plate, site, channel))));
            if (selection == ImageObjectSelection.Everything)
            {
                keys.Add(GalleryBucket.IndexKey(plate));
            }
        }

        return [.. keys.Where(Bucket.Objects.ContainsKey)];
    }

    /// <summary>Expected mirror: local path → bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> ExpectedFiles(ImageObjectSelection selection = ImageObjectSelection.Fluorescence) =>
        ExpectedKeys(selection).ToDictionary(ExpectedPath, key => Bucket.Objects[key]);

    /// <summary>Every file under the work folder (hidden partial files included): path → bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> LocalFiles() =>
        Directory.EnumerateFiles(WorkDirectory, "*", SearchOption.AllDirectories).ToDictionary(path => path, File.ReadAllBytes);

    public void Dispose() => Directory.Delete(WorkDirectory, recursive: true);
}
