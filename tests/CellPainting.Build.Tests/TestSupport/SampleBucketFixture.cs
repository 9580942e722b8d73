using CellPainting.Stages.Download;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests.TestSupport;

/// <summary>
/// A fixture against moto_server (behind the request-logging proxy) whose tests each seed a fresh bucket with the
/// sample, synthesised once for the fixture as objects in the CPJUMP1 key layout.
/// </summary>
public abstract class SampleBucketFixture
{
    private TempDirectory synthesised = null!;

    protected LoopbackS3 S3 { get; private set; } = null!;

    /// <summary>Every object of the sample: key → bytes.</summary>
    protected IReadOnlyDictionary<string, byte[]> Sample { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartLoopbackS3AndSynthesiseTheSample()
    {
        synthesised = new TempDirectory();
        Sample = SampleObjects.Synthesise(synthesised.Root);
        S3 = await LoopbackS3.StartOrIgnoreAsync();
    }

    [OneTimeTearDown]
    public void StopLoopbackS3()
    {
        S3?.Dispose();
        synthesised?.Dispose();
    }

    /// <summary>A new public bucket holding the sample, with the proxy's log cleared.</summary>
    protected async Task<SeededBucket> SeedBucketAsync(string stem)
    {
        SeededBucket bucket = await SeededBucket.CreatePublicAsync(S3.Admin, LoopbackS3.NewBucketName(stem));
        foreach ((string key, byte[] content) in Sample)
        {
            await bucket.PutAsync(key, content);
        }

        S3.Proxy.ClearLog();
        return bucket;
    }

    /// <summary>
    /// Writes <c>s3.yml</c> under <paramref name="root"/>: the sample's plates in <paramref name="bucket"/> through the
    /// proxy, the tiny model, 32-pixel tensors, two workers, with <paramref name="fetchExtras"/> in the fetch section
    /// (", key: value, ...") and <paramref name="sections"/> after it.
    /// </summary>
    protected void WriteS3Config(string root, SeededBucket bucket, string fetchExtras = "", string sections = "")
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "s3.yml"), $$"""
            cpjump:
              batch: "{{SampleObjects.Batch}}"
              endpoint: "s3://{{bucket.Name}}/{{CpJump1SyncUnits.DatasetPrefix.TrimEnd('/')}}"
              plates: [{{string.Join(", ", SampleObjects.Plates.Select(plate => $"\"{plate}\""))}}]
              {{TinyModel.ExtractionSection}}
              tensors: { size: 32 }
              build: { parallelism: 2 }
              fetch: { source: "s3", endpoint_url: "{{S3.Proxy.Endpoint.AbsoluteUri}}", parallelism: 4{{fetchExtras}} }
              {{sections}}
            """);
    }
}
