using Amazon.Runtime;
using Amazon.S3;
using CellPainting.Engine.Caching;
using CellPainting.Stages.Caching;
using CellPainting.Stages.Configuration;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Caching;

/// <summary>The S3 store against moto_server on 127.0.0.1, through the proxy that logs every request.</summary>
[NonParallelizable]
public sealed class S3CacheStoreTests
{
    private LoopbackS3 s3 = null!;
    private S3CacheStore store = null!;
    private string bucket = string.Empty;

    [OneTimeSetUp]
    public async Task StartLoopbackS3() => s3 = await LoopbackS3.StartOrIgnoreAsync();

    [OneTimeTearDown]
    public void StopLoopbackS3() => s3?.Dispose();

    [SetUp]
    public async Task CreateBucket()
    {
        bucket = LoopbackS3.NewBucketName("store");
        await s3.Admin.PutBucketAsync(bucket);
        store = new S3CacheStore(ClientTo(s3.Proxy.Endpoint), new S3Url(bucket, "team/cache/"));
        s3.Proxy.ClearLog();
    }

    [TearDown]
    public void DisposeStore() => store.Dispose();

    private static AmazonS3Client ClientTo(Uri endpoint) =>
        new(new BasicAWSCredentials("store-test-key", "store-test-secret"), new AmazonS3Config
        {
            ServiceURL = endpoint.AbsoluteUri,
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            MaxErrorRetry = 0,
        });

    [Test]
    public void A_key_never_put_is_absent_and_the_probe_passes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(store.TryGet("ac/00/missing"), Is.Null);
            Assert.That(store.Exists("ac/00/missing"), Is.False);
            Assert.That(store.Probe, Throws.Nothing);
        });
    }

    [Test]
    public async Task A_put_is_one_put_under_the_prefix_and_reads_back_whole()
    {
        byte[] content = [.. Enumerable.Range(0, 5000).Select(value => (byte)value)];

        store.Put("cas/ab/abc", content);

        using var stored = await s3.Admin.GetObjectAsync(bucket, "team/cache/cas/ab/abc");
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        Assert.Multiple(() =>
        {
            Assert.That(s3.Proxy.Requests.Select(request => (request.Method, request.Path)), Is.EqualTo(new[] { ("PUT", $"/{bucket}/team/cache/cas/ab/abc") }));
            Assert.That(copy.ToArray(), Is.EqualTo(content));
            Assert.That(store.TryGet("cas/ab/abc"), Is.EqualTo(content));
            Assert.That(store.Exists("cas/ab/abc"), Is.True);
            Assert.That(store.Location, Is.EqualTo($"s3://{bucket}/team/cache/"));
        });
    }

    [Test]
    public void Lookups_are_by_key_and_never_list_the_bucket()
    {
        store.TryGet("ac/00/one");
        store.Exists("cas/00/two");
        store.Probe();

        Assert.Multiple(() =>
        {
            Assert.That(s3.Proxy.Requests.Where(request => request.IsListingOf(bucket)), Is.Empty);
            Assert.That(s3.Proxy.Requests.Select(request => request.Method), Is.EqualTo(new[] { "GET", "HEAD", "HEAD" }));
        });
    }

    [Test]
    public void A_server_error_makes_the_store_unavailable_naming_the_key_not_the_credentials()
    {
        s3.Proxy.ScheduleObjectFaults(bucket, "team/cache/ac/00/x", ProxyFault.InternalError);

        var error = Assert.Throws<CacheUnavailableException>(() => store.TryGet("ac/00/x"));

        Assert.That(error!.Message, Does.Contain($"s3://{bucket}/team/cache/ac/00/x").And.Contain("500").And.Not.Contain("store-test-secret"));
    }

    [Test]
    public void An_endpoint_nobody_listens_on_makes_the_store_unavailable()
    {
        using var unreachable = new S3CacheStore(ClientTo(new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/")), new S3Url(bucket, string.Empty));

        Assert.Multiple(() =>
        {
            Assert.That(unreachable.Probe, Throws.TypeOf<CacheUnavailableException>());
            Assert.That(() => unreachable.Put("ac/00/x", [1]), Throws.TypeOf<CacheUnavailableException>());
        });
    }
}
