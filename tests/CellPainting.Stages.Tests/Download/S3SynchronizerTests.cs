using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using CellPainting.Stages.Download;
using CellPainting.Stages.Tests.Download.Support;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Download;

/// <summary>Syncs against moto_server on 127.0.0.1 (through a pass-through proxy that counts requests).</summary>
[NonParallelizable]
public sealed class S3SynchronizerTests
{
    private static readonly Dictionary<string, RemoteObjectRecord> NoRecords = [];

    private LoopbackS3 _s3 = null!;
    private SyncScenario _scenario = null!;

    /// <summary>What a sync recorded, keyed by full key, as the lock gives it to the next sync.</summary>
    private static Dictionary<string, RemoteObjectRecord> RecordsOf(SyncReport report) =>
        report.Units.SelectMany(unit => unit.Objects).ToDictionary(synced => synced.Key, synced => synced.Record);

    private SyncUnit[] UnitsFetching(FetchPolicy fetch) =>
        [.. _scenario.Units().Select(unit => new SyncUnit(unit.Name, unit.RemotePrefix, unit.LocalDirectory, unit.Include) { Fetch = fetch })];

    [OneTimeSetUp]
    public async Task StartLoopbackS3() => _s3 = await LoopbackS3.StartOrIgnoreAsync();

    [OneTimeTearDown]
    public void StopLoopbackS3() => _s3?.Dispose();

    [SetUp]
    public async Task SeedGallery() => _scenario = await SyncScenario.CreateAsync(_s3);

    [TearDown]
    public void RemoveWorkFolder() => _scenario?.Dispose();

    [Test]
    public async Task FirstSyncFetchesExactlyTheFluorescenceImagesOfTheConfiguredPlatesAndTheMetadata()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        Assert.That(report.Failures, Is.Empty);
        Assert.That(report.Succeeded, Is.True);
        AssertMirror(_scenario.ExpectedFiles());
        Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.EquivalentTo(_scenario.ExpectedKeys()));
    }

    [Test]
    public async Task AListOnlyUnitIsListedAndRecordedWithoutAGetKeepingTheDigestsOfUnchangedObjects()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var records = RecordsOf(await synchronizer.SyncAsync(_scenario.Units(), NoRecords));
        var listOnly = UnitsFetching(FetchPolicy.None);
        var kept = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[1], 2);
        var keptRecord = records[kept];
        var unknown = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[2], 3);
        records.Remove(unknown);
        _s3.Proxy.ClearLog();

        var report = await synchronizer.SyncAsync(listOnly, records);

        var objects = report.Units.SelectMany(unit => unit.Objects).ToDictionary(synced => synced.Key);
        Assert.Multiple(() =>
        {
            Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.Empty);
            Assert.That(objects.Keys, Is.EquivalentTo(_scenario.ExpectedKeys()));
            Assert.That(objects.Values.Select(synced => synced.Downloaded), Is.All.False);
            Assert.That(objects[kept].Record, Is.EqualTo(keptRecord));
            Assert.That(objects[unknown].Record.Sha256, Is.Null, "an object never fetched has no digest yet");
            Assert.That(objects[unknown].Record.Size, Is.EqualTo(_scenario.Bucket.Objects[unknown].Length));
        });
    }

    [Test]
    public async Task AnOnDemandUnitLeavesAMissingCopyKnownByItsDigestToTheBuildsButRefetchesOneOfTheWrongSize()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var records = RecordsOf(await synchronizer.SyncAsync(_scenario.Units(), NoRecords));
        var onDemand = UnitsFetching(FetchPolicy.UnknownDigests);
        var missing = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[2], 1);
        var shortened = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[1], 4);
        File.Delete(_scenario.ExpectedPath(missing));
        File.WriteAllBytes(_scenario.ExpectedPath(shortened), [1, 2, 3]);
        _s3.Proxy.ClearLog();

        var report = await synchronizer.SyncAsync(onDemand, records);

        var objects = report.Units.SelectMany(unit => unit.Objects).ToDictionary(synced => synced.Key);
        Assert.Multiple(() =>
        {
            Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.EqualTo(new[] { shortened }));
            Assert.That(File.Exists(_scenario.ExpectedPath(missing)), Is.False);
            Assert.That(objects[missing].Record, Is.EqualTo(records[missing]), "still recorded, with its digest");
            Assert.That(report.Units.Sum(unit => unit.OnDemand), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ARecordWithoutADigestIsFetchedByASyncThatKeepsTheObjects()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var records = RecordsOf(await synchronizer.SyncAsync(_scenario.Units(), NoRecords));
        var key = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[0], 4);
        records[key] = records[key] with { Sha256 = null };

        var plan = await synchronizer.PlanAsync(_scenario.Units(), records);

        var pending = plan.Units.SelectMany(unit => unit.Pending).Single();
        Assert.Multiple(() =>
        {
            Assert.That(pending.Key, Is.EqualTo(key));
            Assert.That(pending.Reason, Is.EqualTo(FetchReason.DigestUnknown));
        });
    }

    [Test]
    public async Task FetchingAListedVersionGivesItsBytesAndDigestInMemory()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var key = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[3], 5);
        var etag = await _scenario.Bucket.ETagAsync(key);

        var fetched = await synchronizer.FetchAsync(key, etag, _scenario.Bucket.Objects[key].Length);

        Assert.Multiple(() =>
        {
            Assert.That(fetched.Bytes, Is.EqualTo(_scenario.Bucket.Objects[key]));
            Assert.That(fetched.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(_scenario.Bucket.Objects[key]))));
            Assert.That(Directory.Exists(_scenario.RawImagesDirectory), Is.False);
        });
    }

    [Test]
    public async Task FetchingAVersionThatIsNoLongerListedFailsInsteadOfGivingOtherBytes()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var key = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[3], 5);
        var etag = await _scenario.Bucket.ETagAsync(key);
        await _scenario.Bucket.PutAsync(key, [.. _scenario.Bucket.Objects[key].Reverse()]);

        var thrown = Assert.ThrowsAsync<OperationFailedException>(() => synchronizer.FetchAsync(key, etag, _scenario.Bucket.Objects[key].Length));

        Assert.That(thrown!.Message, Does.Contain("412"));
    }

    [Test]
    public async Task EverythingModeAlsoFetchesBrightfieldChannelsAndTheHarmonyIndex()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync(_scenario.Units(ImageObjectSelection.Everything), NoRecords);

        Assert.That(report.Succeeded, Is.True);
        AssertMirror(_scenario.ExpectedFiles(ImageObjectSelection.Everything));
    }

    [Test]
    public async Task EachUnitReportsItsSourceUrlObjectCountTotalBytesAndManifestDigest()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        var expectedKeys = _scenario.ExpectedKeys();
        foreach (var (unit, unitReport) in _scenario.Units().Zip(report.Units))
        {
            var keys = expectedKeys.Where(key => key.StartsWith(unit.RemotePrefix, StringComparison.Ordinal)).ToList();
            var lines = new List<string>();
            foreach (var key in keys)
            {
                var etag = await _scenario.Bucket.ETagAsync(key);
                lines.Add($"{key[unit.RemotePrefix.Length..]}\t{etag}\t{_scenario.Bucket.Objects[key].Length}\n");
            }

            var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(lines.Order(StringComparer.Ordinal)))));
            Assert.Multiple(() =>
            {
                Assert.That(unitReport.Name, Is.EqualTo(unit.Name));
                Assert.That(unitReport.SourceUrl, Is.EqualTo($"s3://{_scenario.Bucket.Name}/{unit.RemotePrefix}"));
                Assert.That(unitReport.ListingComplete, Is.True);
                Assert.That(unitReport.ObjectCount, Is.EqualTo(keys.Count));
                Assert.That(unitReport.TotalBytes, Is.EqualTo(keys.Sum(key => (long)_scenario.Bucket.Objects[key].Length)));
                Assert.That(unitReport.Digest, Is.EqualTo(digest));
                Assert.That(unitReport.DownloadedCount, Is.EqualTo(keys.Count));
            });
        }

        Assert.That(report.Units.Select(u => u.Name), Is.EqualTo(new[] { $"platemaps/{GalleryBucket.Batch}", "external_metadata" }.Concat(GalleryBucket.Plates)));
    }

    [Test]
    public async Task RecordsCarryTheSha256SizeAndModificationTimeOfEachLocalFile()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        var synced = report.Units.SelectMany(u => u.Objects).ToList();
        Assert.That(synced.Select(o => o.Key), Is.EquivalentTo(_scenario.ExpectedKeys()));
        foreach (var item in synced)
        {
            var content = _scenario.Bucket.Objects[item.Key];
            Assert.Multiple(() =>
            {
                Assert.That(item.LocalPath, Is.EqualTo(_scenario.ExpectedPath(item.Key)));
                Assert.That(item.Record.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(content))));
                Assert.That(item.Record.Size, Is.EqualTo(content.Length));
                Assert.That(item.LastWriteTimeUtc, Is.EqualTo(File.GetLastWriteTimeUtc(item.LocalPath)));
                Assert.That(item.Downloaded, Is.True);
                Assert.That(item.Key, Does.EndWith(item.RelativeKey));
            });
        }

        Assert.That(report.ToRecordMap().Keys, Is.EquivalentTo(_scenario.ExpectedKeys()));
    }

    [Test]
    public async Task MultipartObjectIsVerifiedBySizeAndRecordedWithItsMultipartETag()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        var remoteETag = await _scenario.Bucket.ETagAsync(GalleryBucket.MultipartImageKey);
        var record = report.ToRecordMap()[GalleryBucket.MultipartImageKey];
        var content = _scenario.Bucket.Objects[GalleryBucket.MultipartImageKey];
        Assert.Multiple(() =>
        {
            Assert.That(remoteETag, Does.EndWith("-3"));
            Assert.That(record.ETag, Is.EqualTo(remoteETag));
            Assert.That(record.Size, Is.EqualTo(content.Length));
            Assert.That(record.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(content))));
            Assert.That(File.ReadAllBytes(_scenario.ExpectedPath(GalleryBucket.MultipartImageKey)), Is.EqualTo(content));
        });
    }

    [Test]
    public async Task SecondSyncWithTheRecordedStateIssuesNoObjectGet()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var first = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);
        _s3.Proxy.ClearLog();

        var second = await synchronizer.SyncAsync(_scenario.Units(), first.ToRecordMap());

        Assert.Multiple(() =>
        {
            Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.Empty);
            Assert.That(_s3.Proxy.Requests.Count(r => r.IsListingOf(_scenario.Bucket.Name)), Is.EqualTo(_scenario.Units().Count));
            Assert.That(second.Succeeded, Is.True);
            Assert.That(second.Units.Sum(u => u.DownloadedCount), Is.Zero);
            Assert.That(second.ToRecordMap(), Is.EquivalentTo(first.ToRecordMap()));
            Assert.That(second.Units.Select(u => u.Digest), Is.EqualTo(first.Units.Select(u => u.Digest)));
        });
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task ObjectWithANewETagIsFetchedAloneOnTheNextSync()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var first = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);
        var changedKey = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[2], 4);
        await _scenario.Bucket.PutAsync(changedKey, _scenario.Bucket.NextContent());
        _s3.Proxy.ClearLog();

        var second = await synchronizer.SyncAsync(_scenario.Units(), first.ToRecordMap());

        Assert.Multiple(() =>
        {
            Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.EqualTo(new[] { changedKey }));
            Assert.That(second.ToRecordMap()[changedKey].ETag, Is.Not.EqualTo(first.ToRecordMap()[changedKey].ETag));
            Assert.That(second.Units.Single(u => u.Name == GalleryBucket.Plates[1]).Digest, Is.Not.EqualTo(first.Units.Single(u => u.Name == GalleryBucket.Plates[1]).Digest));
            Assert.That(second.Units.Single(u => u.Name == GalleryBucket.Plates[0]).Digest, Is.EqualTo(first.Units.Single(u => u.Name == GalleryBucket.Plates[0]).Digest));
        });
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task PlanningClassifiesNewChangedMissingAndRemovedObjectsWithoutAnyObjectGetOrLocalWrite()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var first = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);
        var changedKey = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[0], 2);
        var removedKey = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[1], 3);
        var missingKey = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[2], 4);
        var newKey = GalleryBucket.ImagesPrefix(GalleryBucket.Plates[1]) + "r09c09f09p01-ch1sk1fk1fl1.tiff";
        await _scenario.Bucket.PutAsync(changedKey, _scenario.Bucket.NextContent());
        await _scenario.Bucket.DeleteAsync(removedKey);
        await _scenario.Bucket.PutAsync(newKey, _scenario.Bucket.NextContent());
        File.Delete(_scenario.ExpectedPath(missingKey));
        var before = _scenario.LocalFiles();
        _s3.Proxy.ClearLog();

        var plan = await synchronizer.PlanAsync(_scenario.Units(), first.ToRecordMap());

        Assert.Multiple(() =>
        {
            Assert.That(
                plan.Units.SelectMany(u => u.Pending).Select(p => (p.Key, p.Reason)),
                Is.EquivalentTo(new[] { (changedKey, FetchReason.Changed), (missingKey, FetchReason.LocalCopyMissing), (newKey, FetchReason.New) }));
            Assert.That(plan.Units.SelectMany(u => u.RemovedKeys), Is.EqualTo(new[] { removedKey }));
            Assert.That(plan.PendingCount, Is.EqualTo(3));
            Assert.That(plan.PendingBytes, Is.EqualTo(new[] { changedKey, missingKey, newKey }.Sum(key => (long)_scenario.Bucket.Objects[key].Length)));
            Assert.That(plan.Failures, Is.Empty);
            Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.Empty);
            Assert.That(_s3.Proxy.Requests.Count(r => r.IsListingOf(_scenario.Bucket.Name)), Is.EqualTo(_scenario.Units().Count));
            Assert.That(_scenario.LocalFiles(), Is.EquivalentTo(before));
        });
    }

    [Test]
    public async Task ExecutingAPlanFetchesExactlyItsPendingObjects()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var plan = await synchronizer.PlanAsync(_scenario.Units(), NoRecords);

        var report = await synchronizer.ExecuteAsync(plan);

        Assert.That(report.Succeeded, Is.True);
        Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.EquivalentTo(plan.Units.SelectMany(u => u.Pending).Select(p => p.Key)));
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task APlanOfAnotherBucketIsRefused()
    {
        using var lister = new S3Synchronizer(_scenario.Options);
        var plan = await lister.PlanAsync(_scenario.Units(), NoRecords);
        using var other = new S3Synchronizer(new S3SyncOptions { Bucket = "another-bucket", EndpointUrl = _scenario.Options.EndpointUrl });

        var error = Assert.ThrowsAsync<ArgumentException>(() => other.ExecuteAsync(plan));

        Assert.That(error!.Message, Does.Contain($"'{_scenario.Bucket.Name}'").And.Contain("'another-bucket'"));
    }

    [Test]
    public async Task LocalCopiesThatAreMissingOrOfTheWrongSizeAreFetchedAgain()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var first = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);
        var deletedKey = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[1], 2);
        var truncatedKey = GalleryBucket.MetadataKeys[0];
        File.Delete(_scenario.ExpectedPath(deletedKey));
        File.WriteAllBytes(_scenario.ExpectedPath(truncatedKey), _scenario.Bucket.Objects[truncatedKey][..10]);
        _s3.Proxy.ClearLog();

        var second = await synchronizer.SyncAsync(_scenario.Units(), first.ToRecordMap());

        Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.EquivalentTo(new[] { deletedKey, truncatedKey }));
        Assert.That(second.Succeeded, Is.True);
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task ObjectDeletedRemotelyIsReportedAndItsLocalCopyIsKept()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var first = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);
        var removedKey = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[3], 5);
        var localCopy = _scenario.ExpectedPath(removedKey);
        await _scenario.Bucket.DeleteAsync(removedKey);

        var second = await synchronizer.SyncAsync(_scenario.Units(), first.ToRecordMap());

        var plateReport = second.Units.Single(u => u.Name == GalleryBucket.Plates[0]);
        Assert.Multiple(() =>
        {
            Assert.That(plateReport.Removed, Is.EqualTo(new[] { new RemovedObject(removedKey, removedKey[GalleryBucket.ImagesPrefix(GalleryBucket.Plates[0]).Length..], LocalCopyDeleted: false) }));
            Assert.That(second.Units.Where(u => u != plateReport).SelectMany(u => u.Removed), Is.Empty);
            Assert.That(File.Exists(localCopy), Is.True);
            Assert.That(second.ToRecordMap().ContainsKey(removedKey), Is.False);
            Assert.That(plateReport.ObjectCount, Is.EqualTo(GalleryBucket.Sites.Count * 5 - 1));
        });
    }

    [Test]
    public async Task ObjectDeletedRemotelyLosesItsLocalCopyWhenAskedTo()
    {
        var options = _scenario.Options;
        using var synchronizer = new S3Synchronizer(new S3SyncOptions { Bucket = options.Bucket, EndpointUrl = options.EndpointUrl, DeleteRemovedObjects = true });
        var first = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);
        var removedKey = GalleryBucket.MetadataKeys[^1];
        await _scenario.Bucket.DeleteAsync(removedKey);

        var second = await synchronizer.SyncAsync(_scenario.Units(), first.ToRecordMap());

        var platemapsPrefix = $"{CpJump1SyncUnits.DatasetPrefix}workspace/metadata/platemaps/{GalleryBucket.Batch}/";
        Assert.That(removedKey, Does.StartWith(platemapsPrefix));
        Assert.That(second.Units.SelectMany(u => u.Removed).Single(), Is.EqualTo(new RemovedObject(removedKey, removedKey[platemapsPrefix.Length..], LocalCopyDeleted: true)));
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task KeyWithDotDotSegmentsIsRefusedByNameAndNothingLandsOutsideTheDestination()
    {
        var imagesPrefix = GalleryBucket.ImagesPrefix(GalleryBucket.Plates[1]);
        var evilKey = imagesPrefix + "../../../../../../escape-ch1sk1fk1fl1.tiff";
        await _scenario.Bucket.PutAsync(evilKey, _scenario.Bucket.NextContent());
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        var naiveTarget = Path.GetFullPath(Path.Combine(_scenario.RawImagesDirectory, GalleryBucket.Batch, GalleryBucket.Plates[1], "Images", evilKey[imagesPrefix.Length..]));
        var failure = report.Failures.Single();
        Assert.Multiple(() =>
        {
            Assert.That(failure.Key, Is.EqualTo(evilKey));
            Assert.That(failure.Unit, Is.EqualTo(GalleryBucket.Plates[1]));
            Assert.That(failure.Reason, Does.Contain(evilKey[imagesPrefix.Length..]));
            Assert.That(failure.Attempts, Is.Zero);
            Assert.That(report.Succeeded, Is.False);
            Assert.That(File.Exists(naiveTarget), Is.False);
            Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Does.Not.Contain(evilKey));
        });
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task ZeroByteFolderMarkersAreNeitherFetchedNorRefused()
    {
        var marker = GalleryBucket.ImagesPrefix(GalleryBucket.Plates[0]);
        await _scenario.Bucket.PutAsync(marker, []);
        await _scenario.Bucket.PutAsync(marker + "thumbnails/", []);
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync(_scenario.Units(ImageObjectSelection.Everything), NoRecords);

        Assert.That(report.Failures, Is.Empty);
        Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Does.Not.Contain(marker).And.Not.Contain(marker + "thumbnails/"));
        AssertMirror(_scenario.ExpectedFiles(ImageObjectSelection.Everything));
    }

    [Test]
    public async Task RequestsAreUnsignedByDefault()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        Assert.That(_s3.Proxy.Requests, Is.Not.Empty);
        Assert.That(_s3.Proxy.Requests.Where(r => r.HasAuthorization || r.Query.Contains("X-Amz-Signature", StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    [Test]
    public async Task ListingFollowsContinuationTokensAcrossPages()
    {
        var options = _scenario.Options;
        using var synchronizer = new S3Synchronizer(new S3SyncOptions { Bucket = options.Bucket, EndpointUrl = options.EndpointUrl, ListPageSize = 7 });

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        // Each plate prefix holds 4 sites × 8 channels + Index.idx.xml = 33 keys = 5 pages; the metadata units fit in one.
        var listings = _s3.Proxy.Requests.Where(r => r.IsListingOf(_scenario.Bucket.Name)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(listings, Has.Count.EqualTo((2 * 5) + 1 + 1));
            Assert.That(listings.Count(r => r.Query.Contains("continuation-token=", StringComparison.Ordinal)), Is.EqualTo(2 * 4));
            Assert.That(report.Succeeded, Is.True);
        });
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task ProgressCountsUpToTheObjectsAndBytesToDownload()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var progress = new RecordingProgress();

        await synchronizer.SyncAsync(_scenario.Units(), NoRecords, progress);

        var expectedObjects = _scenario.ExpectedKeys().Count;
        var expectedBytes = _scenario.ExpectedKeys().Sum(key => (long)_scenario.Bucket.Objects[key].Length);
        Assert.Multiple(() =>
        {
            Assert.That(progress.Reports[0], Is.EqualTo(new SyncProgress(0, expectedObjects, 0, expectedBytes)));
            Assert.That(progress.Reports, Has.Some.EqualTo(new SyncProgress(expectedObjects, expectedObjects, expectedBytes, expectedBytes)));
            Assert.That(progress.Reports.Count(r => r.ObjectsDone > 0), Is.GreaterThanOrEqualTo(expectedObjects));
        });
    }

    [Test]
    public async Task ObjectsDeniedToAnonymousCallersFailWithoutRetryWhileTheOthersComplete()
    {
        var privateBucket = LoopbackS3.NewBucketName("private");
        await _s3.Admin.PutBucketAsync(privateBucket);
        await _s3.Admin.PutObjectAsync(new PutObjectRequest { BucketName = privateBucket, Key = "data/private.txt", ContentBody = "not for you" });
        await _s3.Admin.PutObjectAsync(new PutObjectRequest { BucketName = privateBucket, Key = "data/public.txt", ContentBody = "for everyone", CannedACL = Amazon.S3.S3CannedACL.PublicRead });
        var options = _scenario.Options;
        using var synchronizer = new S3Synchronizer(new S3SyncOptions { Bucket = privateBucket, EndpointUrl = options.EndpointUrl, Retry = options.Retry });
        var local = Path.Combine(_scenario.WorkDirectory, "private");

        var report = await synchronizer.SyncAsync([new SyncUnit("data", "data/", local)], NoRecords);

        var failure = report.Failures.Single();
        Assert.Multiple(() =>
        {
            Assert.That(failure.Key, Is.EqualTo("data/private.txt"));
            Assert.That(failure.Reason, Does.Contain("403"));
            Assert.That(failure.Attempts, Is.EqualTo(1));
            Assert.That(report.TransientFaults, Is.Empty);
            Assert.That(File.ReadAllText(Path.Combine(local, "public.txt")), Is.EqualTo("for everyone"));
            Assert.That(Directory.GetFiles(local), Has.Length.EqualTo(1));
        });
    }

    private void AssertMirror(IReadOnlyDictionary<string, byte[]> expected)
    {
        var actual = _scenario.LocalFiles();
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (path, content) in expected)
        {
            Assert.That(actual[path], Is.EqualTo(content), path);
        }
    }
}
