using CellPainting.Engine.IO;
using CellPainting.Stages.Download;
using CellPainting.Stages.Tests.Download.Support;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Download;

/// <summary>Syncs through the fault-injecting proxy: every fault lands on a named request, so outcomes are exact.</summary>
[NonParallelizable]
public sealed class S3SynchronizerFaultTests
{
    private static readonly Dictionary<string, RemoteObjectRecord> NoRecords = [];

    private LoopbackS3 _s3 = null!;
    private SyncScenario _scenario = null!;

    [OneTimeSetUp]
    public async Task StartLoopbackS3() => _s3 = await LoopbackS3.StartOrIgnoreAsync();

    [OneTimeTearDown]
    public void StopLoopbackS3() => _s3?.Dispose();

    [SetUp]
    public async Task SeedGallery() => _scenario = await SyncScenario.CreateAsync(_s3);

    [TearDown]
    public void RemoveWorkFolder() => _scenario?.Dispose();

    [Test]
    public async Task ServerErrorsThrottlingResetsTruncatedAndCorruptBodiesAreRetriedIntoCorrectFiles()
    {
        var bucket = _scenario.Bucket.Name;
        var schedule = new Dictionary<string, ProxyFault[]>
        {
            [GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[1], 2)] = [ProxyFault.InternalError],
            [GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[1], 3)] = [ProxyFault.SlowDown, ProxyFault.SlowDown],
            [GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[2], 1)] = [ProxyFault.ResetConnection],
            [GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[0], 4)] = [ProxyFault.TruncateBody],
            [GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[1], 5)] = [ProxyFault.CorruptBody],
            [GalleryBucket.MultipartImageKey] = [ProxyFault.TruncateBody, ProxyFault.ResetConnection],
            [GalleryBucket.MetadataKeys[0]] = [ProxyFault.ResetConnection, ProxyFault.InternalError],
        };
        foreach (var (key, faults) in schedule)
        {
            _s3.Proxy.ScheduleObjectFaults(bucket, key, faults);
        }

        _s3.Proxy.ScheduleListingFaults(bucket, ProxyFault.SlowDown);
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        Assert.That(report.Failures, Is.Empty);
        AssertMirror(_scenario.ExpectedFiles());

        var gets = _s3.Proxy.ObjectGets(bucket).CountBy(key => key).ToDictionary();
        var faultsByKey = report.TransientFaults.CountBy(fault => fault.Key).ToDictionary();
        var prefixes = _scenario.Units().Select(u => u.RemotePrefix).ToHashSet();
        Assert.Multiple(() =>
        {
            foreach (var key in _scenario.ExpectedKeys())
            {
                var scheduled = schedule.GetValueOrDefault(key, []).Length;
                Assert.That(gets[key], Is.EqualTo(1 + scheduled), $"GETs of {key}");
                Assert.That(faultsByKey.GetValueOrDefault(key), Is.EqualTo(scheduled), $"retried faults of {key}");
            }

            var listingFault = report.TransientFaults.Single(fault => prefixes.Contains(fault.Key));
            Assert.That(listingFault.Reason, Does.Contain("503").And.Contain("SlowDown"));
            Assert.That(report.TransientFaults, Has.Count.EqualTo(schedule.Values.Sum(f => f.Length) + 1));
        });

        var corrupt = report.TransientFaults.Single(f => f.Key == GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[1], 5));
        Assert.That(corrupt.Reason, Does.Contain("MD5 mismatch"));
    }

    [Test]
    public async Task StalledBodyTimesOutAndIsFetchedAgain()
    {
        var stalledKey = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[3], 3);
        _s3.Proxy.ScheduleObjectFaults(_scenario.Bucket.Name, stalledKey, ProxyFault.StallBody);
        _s3.Proxy.StallDuration = TimeSpan.FromSeconds(10);
        var options = _scenario.Options;
        using var synchronizer = new S3Synchronizer(new S3SyncOptions
        {
            Bucket = options.Bucket,
            EndpointUrl = options.EndpointUrl,
            Retry = options.Retry,
            RequestTimeout = TimeSpan.FromSeconds(2),
        });

        var report = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        Assert.Multiple(() =>
        {
            Assert.That(report.Failures, Is.Empty);
            Assert.That(report.TransientFaults.Single().Key, Is.EqualTo(stalledKey));
            Assert.That(report.TransientFaults.Single().Reason, Does.Contain("stalled"));
        });
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task ObjectTruncatedOnEveryAttemptFailsAloneLeavesNoFileAndIsFetchedByTheNextSync()
    {
        var brokenKey = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[3], 1);
        var attempts = _scenario.Options.Retry.MaxAttempts;
        _s3.Proxy.ScheduleObjectFaults(_scenario.Bucket.Name, brokenKey, [.. Enumerable.Repeat(ProxyFault.TruncateBody, attempts)]);
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var first = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);

        var failure = first.Failures.Single();
        var expectedWithoutBroken = _scenario.ExpectedFiles().Where(file => file.Key != _scenario.ExpectedPath(brokenKey)).ToDictionary();
        Assert.Multiple(() =>
        {
            Assert.That(first.Succeeded, Is.False);
            Assert.That(failure.Key, Is.EqualTo(brokenKey));
            Assert.That(failure.Unit, Is.EqualTo(GalleryBucket.Plates[0]));
            Assert.That(failure.Attempts, Is.EqualTo(attempts));
            Assert.That(failure.Reason, Does.Contain($"gave up after {attempts} attempts"));
            Assert.That(first.ToRecordMap().ContainsKey(brokenKey), Is.False);
        });
        AssertMirror(expectedWithoutBroken);

        _s3.Proxy.ClearLog();
        var second = await synchronizer.SyncAsync(_scenario.Units(), first.ToRecordMap());

        Assert.That(second.Succeeded, Is.True);
        Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.EqualTo(new[] { brokenKey }));
        AssertMirror(_scenario.ExpectedFiles());
    }

    [Test]
    public async Task FailedRefetchOfAChangedObjectKeepsTheOldCompleteCopyInPlace()
    {
        using var synchronizer = new S3Synchronizer(_scenario.Options);
        var first = await synchronizer.SyncAsync(_scenario.Units(), NoRecords);
        var changedKey = GalleryBucket.ImageKey(GalleryBucket.Plates[1], GalleryBucket.Sites[0], 2);
        var oldContent = _scenario.Bucket.Objects[changedKey];
        await _scenario.Bucket.PutAsync(changedKey, _scenario.Bucket.NextContent());
        _s3.Proxy.ScheduleObjectFaults(_scenario.Bucket.Name, changedKey, [.. Enumerable.Repeat(ProxyFault.CorruptBody, _scenario.Options.Retry.MaxAttempts)]);

        var second = await synchronizer.SyncAsync(_scenario.Units(), first.ToRecordMap());

        Assert.Multiple(() =>
        {
            Assert.That(second.Failures.Single().Key, Is.EqualTo(changedKey));
            Assert.That(File.ReadAllBytes(_scenario.ExpectedPath(changedKey)), Is.EqualTo(oldContent));
            Assert.That(second.ToRecordMap().ContainsKey(changedKey), Is.False);
            Assert.That(_scenario.LocalFiles().Keys.Where(path => AtomicFile.IsTemporaryName(Path.GetFileName(path))), Is.Empty);
        });
    }

    [Test]
    public async Task ListingThatKeepsFailingMarksItsUnitIncompleteAndFetchesNothingFromIt()
    {
        var unit = _scenario.Units().Single(u => u.Name == CpJump1SyncUnits.ExternalMetadataUnitName);
        var attempts = _scenario.Options.Retry.MaxAttempts;
        _s3.Proxy.ScheduleListingFaults(_scenario.Bucket.Name, [.. Enumerable.Repeat(ProxyFault.InternalError, attempts)]);
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        var report = await synchronizer.SyncAsync([unit], NoRecords);

        var unitReport = report.Units.Single();
        Assert.Multiple(() =>
        {
            Assert.That(unitReport.ListingComplete, Is.False);
            Assert.That(unitReport.Digest, Is.Null);
            Assert.That(unitReport.Objects, Is.Empty);
            Assert.That(report.Failures.Single().Key, Is.EqualTo(unit.RemotePrefix));
            Assert.That(report.Failures.Single().Attempts, Is.EqualTo(attempts));
            Assert.That(_s3.Proxy.ObjectGets(_scenario.Bucket.Name), Is.Empty);
        });
    }

    [Test]
    public async Task CancellationStopsTheSyncAndLeavesNoPartialFile()
    {
        var stalledKey = GalleryBucket.ImageKey(GalleryBucket.Plates[0], GalleryBucket.Sites[0], 3);
        _s3.Proxy.ScheduleObjectFaults(_scenario.Bucket.Name, stalledKey, ProxyFault.StallBody);
        _s3.Proxy.StallDuration = TimeSpan.FromSeconds(10);
        using var synchronizer = new S3Synchronizer(_scenario.Options);

        // The stalled body keeps the sync busy for 10 s (the default 30 s timeout does not fire), half-written.
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        Task sync = synchronizer.SyncAsync(_scenario.Units(), NoRecords, cancellationToken: cancellation.Token);
        // Meanwhile its temporary file bears the name Clean looks for, in case the process is killed instead.
        while (!sync.IsCompleted && !Directory.EnumerateFiles(_scenario.WorkDirectory, "*", SearchOption.AllDirectories).Any(path => AtomicFile.IsTemporaryName(Path.GetFileName(path)) && path.Contains("ch3", StringComparison.Ordinal)))
        {
            await Task.Delay(10);
        }

        Assert.That(sync.IsCompleted, Is.False, "the stalled object's temporary file was seen while the sync was still running");
        Assert.CatchAsync<OperationCanceledException>(() => sync);

        Assert.That(_scenario.LocalFiles().Keys.Where(path => AtomicFile.IsTemporaryName(Path.GetFileName(path))), Is.Empty);
        Assert.That(File.Exists(_scenario.ExpectedPath(stalledKey)), Is.False);
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
