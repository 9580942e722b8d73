using Amazon.S3.Model;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Caching;
using CellPainting.Engine.Execution;
using CellPainting.Engine.IO;
using CellPainting.Engine.State;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>
/// The shared cache in a moto bucket behind the proxy that logs every request: machine A builds the sample in
/// read-write mode with a named profile, B (a fresh copy) reads anonymously.
/// </summary>
[NonParallelizable]
public sealed class DataBuildS3CacheTests
{
    private const string Prefix = "ci/cache/";
    private const string AccessKey = "AKIACPBUILDCACHE0042";
    private const string Secret = "cpbuild/Cache+Secret/DoNotPrint0123456789";

    private LoopbackS3 s3 = null!;
    private TempDirectory home = null!;
    private SeededBucket bucket = null!;
    private SampleRoot machineA = null!;
    private SampleRoot machineB = null!;
    private string outputOfA = string.Empty;
    private IReadOnlyList<ProxyRequest> putsOfA = [];

    private string CacheUrl => $"s3://{bucket.Name}/{Prefix}";

    [OneTimeSetUp]
    public async Task StartLoopbackS3()
    {
        s3 = await LoopbackS3.StartOrIgnoreAsync();
        home = new TempDirectory();
        File.WriteAllText(home.PathOf("credentials"), $"[cpbuild-cache]\naws_access_key_id = {AccessKey}\naws_secret_access_key = {Secret}\n");
    }

    [OneTimeTearDown]
    public void StopLoopbackS3()
    {
        s3?.Dispose();
        home?.Dispose();
    }

    [SetUp]
    public async Task BuildTheSampleOnAIntoABucket()
    {
        bucket = await SeededBucket.CreatePublicAsync(s3.Admin, LoopbackS3.NewBucketName("cache"));
        machineA = new SampleRoot();
        machineA.WriteConfig(sections: [DataBuildCacheTests.CacheSection(CacheUrl, "read-write"), $$"""fetch: { endpoint_url: "{{s3.Proxy.Endpoint}}", aws_no_sign_request: false, profile: "cpbuild-cache" }"""]);
        var output = new StringWriter();
        s3.Proxy.ClearLog();
        using (new AwsProfilesLocation(home.PathOf("credentials")))
        {
            DataBuildCacheTests.RunAll(machineA, output);
        }

        outputOfA = output.ToString();
        putsOfA = [.. s3.Proxy.Requests.Where(request => request.Method == "PUT")];
        machineB = new SampleRoot();
        WriteConfigOfB(s3.Proxy.Endpoint, required: false);
        s3.Proxy.ClearLog();
    }

    [TearDown]
    public void DeleteMachines()
    {
        machineA.Dispose();
        machineB.Dispose();
    }

    private void WriteConfigOfB(Uri endpoint, bool required) =>
        machineB.WriteConfig(sections: [DataBuildCacheTests.CacheSection(CacheUrl, "read", required), $$"""fetch: { endpoint_url: "{{endpoint}}" }"""]);

    private static int Buildable(StageReport report) => report.Outcomes.Count(outcome => outcome.Kind is not (OutcomeKind.Skipped or OutcomeKind.Failed));

    private IReadOnlyList<ProxyRequest> WritesSeen() =>
        [.. s3.Proxy.Requests.Where(request => request.Method is not ("GET" or "HEAD"))];

    private string TensorOf(SampleRoot machine, string barcode, string site) =>
        machine.PathOf("data", "tensors", barcode, site + ".pt");

    [Test]
    public void A_read_only_copy_fetches_everything_by_key_and_sends_no_put()
    {
        var output = new StringWriter();
        IReadOnlyList<StageReport> reports = DataBuildCacheTests.RunAll(machineB, output);

        IReadOnlyList<ProxyRequest> requests = s3.Proxy.Requests;
        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(report => report.Count(OutcomeKind.Built)), Is.All.Zero);
            Assert.That(reports.Select(report => report.Count(OutcomeKind.Fetched) == Buildable(report)), Is.All.True);
            Assert.That(DataBuildCacheTests.Differences(machineB, machineA), Is.Empty);
            Assert.That(WritesSeen(), Is.Empty, "mode: read never writes");
            Assert.That(requests.Where(request => request.IsListingOf(bucket.Name)), Is.Empty, "entries are found by key, never by a listing");
            Assert.That(requests.Select(request => request.ObjectKeyIn(bucket.Name)), Has.All.Matches<string?>(key => key is not null && (key.StartsWith(Prefix + "ac/", StringComparison.Ordinal) || key.StartsWith(Prefix + "cas/", StringComparison.Ordinal))));
            Assert.That(requests.Where(request => request.HasAuthorization), Is.Empty, "B reads anonymously");
        });
    }

    [Test]
    public void Explain_on_the_copy_reads_entries_only_and_says_every_stale_item_is_in_the_cache()
    {
        var output = new StringWriter();
        using (DataBuild build = machineB.Open(explain: true, output: output))
        {
            SiteRun sites = build.TensorsAndFeatures();
            Assert.That(sites.Tensors.Count(OutcomeKind.WouldFetch), Is.EqualTo(Buildable(sites.Tensors)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(s3.Proxy.Requests.Select(request => request.ObjectKeyIn(bucket.Name)), Has.All.StartWith(Prefix + "ac/"), "no blob is read");
            Assert.That(WritesSeen(), Is.Empty);
            Assert.That(output.ToString(), Does.Contain("would fetch BR00116991/r01c01f01: stale, in cache (new)"));
            Assert.That(SampleRoot.FilesUnder(machineB.PathOf("data", "tensors")), Is.Empty, "nothing but the run locks");
        });
    }

    [Test]
    public void The_builder_signs_its_uploads_and_writes_the_credentials_nowhere()
    {
        string[] files = [.. Directory.EnumerateFiles(machineA.Root, "*", SearchOption.AllDirectories)];

        Assert.Multiple(() =>
        {
            Assert.That(putsOfA, Is.Not.Empty);
            Assert.That(putsOfA.Select(request => request.HasAuthorization), Is.All.True);
            Assert.That(outputOfA, Does.Not.Contain(Secret).And.Not.Contain(AccessKey));
            Assert.That(files.Where(path => File.ReadAllText(path).Contains(Secret, StringComparison.Ordinal) || File.ReadAllText(path).Contains(AccessKey, StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task A_tampered_blob_in_the_bucket_is_detected_built_locally_reported_and_left_alone_in_read_mode()
    {
        string tensor = TensorOf(machineA, "BR00117000", "r01c02f01");
        string blobKey = Prefix + ItemCache.BlobKey(ContentHash.OfFile(tensor));
        byte[] tampered = File.ReadAllBytes(tensor);
        tampered[^100] ^= 0x01;
        await s3.Admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket.Name, Key = blobKey, InputStream = new MemoryStream(tampered) });
        s3.Proxy.ClearLog();
        var output = new StringWriter();

        IReadOnlyList<StageReport> reports = DataBuildCacheTests.RunAll(machineB, output);

        Assert.Multiple(() =>
        {
            Assert.That(reports[0].Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Built).Select(outcome => outcome.ItemId), Is.EqualTo(new[] { "BR00117000/r01c02f01" }));
            Assert.That(output.ToString(), Does.Contain("cache: bad entry").And.Contain("tensors BR00117000/r01c02f01").And.Contain("does not hash to its name"));
            Assert.That(File.ReadAllBytes(TensorOf(machineB, "BR00117000", "r01c02f01")), Is.EqualTo(File.ReadAllBytes(tensor)), "the tampered bytes were never placed");
            Assert.That(DataBuildCacheTests.Differences(machineB, machineA), Is.Empty);
            Assert.That(WritesSeen(), Is.Empty);
        });
    }

    [Test]
    public void The_cache_failing_mid_run_gives_one_warning_and_the_build_completes_locally_with_nothing_half_written()
    {
        // The store fails (500) on the second plate's first site: the first plate's tensors are fetched before that.
        string fingerprint = File.ReadAllLines(machineA.PathOf("data.lock.d", "tensors", "BR00117000.tsv"))
            .Select(line => line.Split('\t')).Single(fields => fields[0] == "BR00117000/r01c01f01")[1];
        s3.Proxy.ScheduleObjectFaults(bucket.Name, Prefix + ItemCache.EntryKey("BR00117000/r01c01f01", fingerprint), ProxyFault.InternalError);
        var output = new StringWriter();

        IReadOnlyList<StageReport> reports = DataBuildCacheTests.RunAll(machineB, output);

        int faulted = s3.Proxy.Requests.ToList().FindIndex(request => request.Fault == ProxyFault.InternalError);
        Assert.Multiple(() =>
        {
            Assert.That(faulted, Is.Not.Negative);
            Assert.That(reports.Select(report => report.Count(OutcomeKind.Built) + report.Count(OutcomeKind.Fetched) == Buildable(report)), Is.All.True);
            Assert.That(reports[0].Count(OutcomeKind.Built), Is.Positive);
            Assert.That(output.ToString().Split('\n').Where(line => line.Contains("warning: cache", StringComparison.Ordinal)).ToArray(), Has.Length.EqualTo(1).And.All.Contain("unreachable"));
            Assert.That(s3.Proxy.Requests.Count - faulted - 1, Is.LessThanOrEqualTo(2), "after the failure the run stops asking (a worker may have had a request in flight)");
            Assert.That(DataBuildCacheTests.Differences(machineB, machineA), Is.Empty);
            Assert.That(Directory.EnumerateFiles(machineB.PathOf("data"), "*", SearchOption.AllDirectories).Where(path => AtomicFile.IsTemporaryName(Path.GetFileName(path))), Is.Empty);
        });
    }

    [Test]
    public void A_bucket_endpoint_nobody_listens_on_gives_one_warning_and_the_build_completes_locally()
    {
        WriteConfigOfB(new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/"), required: false);
        var output = new StringWriter();

        IReadOnlyList<StageReport> reports = DataBuildCacheTests.RunAll(machineB, output);

        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(report => report.Count(OutcomeKind.Built) == Buildable(report)), Is.All.True);
            Assert.That(output.ToString().Split('\n').Count(line => line.Contains("warning: cache", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(DataBuildCacheTests.Differences(machineB, machineA), Is.Empty);
        });
    }

    [Test]
    public void A_required_bucket_that_does_not_answer_fails_the_run_before_any_work()
    {
        var nobody = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        WriteConfigOfB(nobody, required: true);

        var error = Assert.Throws<BuildFailedException>(() => machineB.Open().Dispose());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain($"cache {CacheUrl} is unreachable and cpjump.cache.required is true"));
            Assert.That(SampleRoot.FilesUnder(machineB.PathOf("data", "tensors")), Is.Empty, "nothing but the run locks");
        });
    }
}
