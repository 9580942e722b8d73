using CellPainting.Build.Tests.TestSupport;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>
/// <c>build.manifests: cache</c> with the cache in a moto bucket behind the request-logging proxy: A builds with a
/// named profile and commits only the lock; a clone reviews the change reading the bucket anonymously.
/// </summary>
[NonParallelizable]
public sealed class DataBuildManifestS3CacheTests
{
    private const string Prefix = "ci/cache/";

    private LoopbackS3 s3 = null!;
    private TempDirectory home = null!;

    [OneTimeSetUp]
    public async Task StartLoopbackS3()
    {
        s3 = await LoopbackS3.StartOrIgnoreAsync();
        home = new TempDirectory();
        File.WriteAllText(home.PathOf("credentials"), "[cpbuild-cache]\naws_access_key_id = AKIACPBUILDCACHE0042\naws_secret_access_key = cpbuild/Cache+Secret/DoNotPrint0123456789\n");
    }

    [OneTimeTearDown]
    public void StopLoopbackS3()
    {
        s3?.Dispose();
        home?.Dispose();
    }

    [Test]
    public async Task LockDiff_on_a_clone_with_only_the_lock_file_reads_the_manifests_from_the_bucket_by_key_and_gives_the_builders_summary()
    {
        SeededBucket bucket = await SeededBucket.CreatePublicAsync(s3.Admin, LoopbackS3.NewBucketName("manifests"));
        string cacheUrl = $"s3://{bucket.Name}/{Prefix}";
        using var machineA = new SampleRoot();
        machineA.WriteConfig(
            sections: [DataBuildCacheTests.CacheSection(cacheUrl, "read-write"), $$"""fetch: { endpoint_url: "{{s3.Proxy.Endpoint}}", aws_no_sign_request: false, profile: "cpbuild-cache" }"""],
            extraBuild: ", manifests: \"cache\"");
        GitRepository repository;
        string summaryOnA;
        using (new AwsProfilesLocation(home.PathOf("credentials")))
        {
            (repository, summaryOnA) = DataBuildManifestCacheTests.BuildTwoCommittedLocks(machineA);
        }

        string machineB = DataBuildManifestCacheTests.CloneWithReviewConfig(
            repository,
            home.PathOf("b"),
            $$"""
              {{DataBuildCacheTests.CacheSection(cacheUrl, "read")}}
              fetch: { endpoint_url: "{{s3.Proxy.Endpoint}}" }

            """);
        s3.Proxy.ClearLog();

        string summaryOnB = DataBuildManifestCacheTests.Review(machineB, "review.yml");

        IReadOnlyList<ProxyRequest> requests = s3.Proxy.Requests;
        Assert.Multiple(() =>
        {
            Assert.That(summaryOnB, Is.EqualTo(summaryOnA));
            Assert.That(DataBuildManifestCacheTests.EntriesOf(machineB), Is.EqualTo(new[] { ".git", ".gitignore", "data.lock.json", "review.yml" }));
            Assert.That(requests, Is.Not.Empty);
            Assert.That(requests.Select(request => (request.Method, request.HasAuthorization)), Is.All.EqualTo(("GET", false)), "anonymous GETs only");
            Assert.That(requests.Select(request => request.ObjectKeyIn(bucket.Name)), Has.All.StartWith(Prefix + "cas/"), "blobs by key, never a listing");
        });
    }
}
