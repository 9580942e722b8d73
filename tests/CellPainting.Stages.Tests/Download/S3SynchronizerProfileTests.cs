using Amazon;
using CellPainting.Stages.Download;
using CellPainting.Stages.Tests.Download.Support;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Download;

/// <summary>
/// With a profile the requests go through the SDK, signed: the same sync, retries and verification as unsigned ones.
/// The profile lives in a credentials file of the test's own, the SDK's profiles location for the fixture's duration.
/// </summary>
[NonParallelizable]
public sealed class S3SynchronizerProfileTests
{
    private const string Profile = "cellpainting-tests-signed";
    private static readonly Dictionary<string, RemoteObjectRecord> NoRecords = [];

    private LoopbackS3 _s3 = null!;
    private SyncScenario _scenario = null!;
    private TempDirectory _credentials = null!;
    private string? _previousProfilesLocation;

    [OneTimeSetUp]
    public async Task StartLoopbackS3AndWriteTheProfile()
    {
        _s3 = await LoopbackS3.StartOrIgnoreAsync();
        _credentials = new TempDirectory();
        var file = _credentials.Write("credentials", $"[{Profile}]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
        _previousProfilesLocation = AWSConfigs.AWSProfilesLocation;
        AWSConfigs.AWSProfilesLocation = file;
    }

    [OneTimeTearDown]
    public void StopLoopbackS3()
    {
        AWSConfigs.AWSProfilesLocation = _previousProfilesLocation;
        _credentials?.Dispose();
        _s3?.Dispose();
    }

    [SetUp]
    public async Task SeedGallery() => _scenario = await SyncScenario.CreateAsync(_s3);

    [TearDown]
    public void RemoveWorkFolder() => _scenario?.Dispose();

    [Test]
    public async Task AProfilesSyncIsSignedRetriesFaultsAndMirrorsTheBucket()
    {
        var bucket = _scenario.Bucket.Name;
        var truncated = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[1], 2);
        _s3.Proxy.ScheduleObjectFaults(bucket, truncated, ProxyFault.TruncateBody);
        _s3.Proxy.ScheduleListingFaults(bucket, ProxyFault.SlowDown);
        using var synchronizer = new S3Synchronizer(Signed(_scenario.Options));

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        Assert.Multiple(() =>
        {
            Assert.That(report.Failures, Is.Empty);
            Assert.That(report.TransientFaults, Has.Count.EqualTo(2));
            Assert.That(report.TransientFaults.Count(fault => fault.Key == truncated), Is.EqualTo(1));
            Assert.That(report.TransientFaults.Single(fault => fault.Key != truncated).Reason, Does.Contain("503").And.Contain("SlowDown"));
            Assert.That(_s3.Proxy.Requests.Where(request => !request.HasAuthorization), Is.Empty);
            Assert.That(_s3.Proxy.ObjectGets(bucket), Is.EquivalentTo(_scenario.ExpectedKeys().Append(truncated)));
        });
        foreach (var (path, content) in _scenario.ExpectedFiles())
        {
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(content), path);
        }
    }

    [Test]
    public async Task AProfilesFetchOfAVersionNoLongerListedFailsWithPreconditionFailed()
    {
        using var synchronizer = new S3Synchronizer(Signed(_scenario.Options));
        var key = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[3], 5);
        var etag = await _scenario.Bucket.ETagAsync(key);
        await _scenario.Bucket.PutAsync(key, [.. _scenario.Bucket.Objects[key].Reverse()]);

        var thrown = Assert.ThrowsAsync<OperationFailedException>(() => synchronizer.FetchAsync(key, etag, _scenario.Bucket.Objects[key].Length));

        Assert.That(thrown!.Message, Does.Contain("412"));
    }

    private static S3SyncOptions Signed(S3SyncOptions options) =>
        new() { Bucket = options.Bucket, EndpointUrl = options.EndpointUrl, Retry = options.Retry, Profile = Profile };
}
