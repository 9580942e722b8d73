using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Execution;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Planning;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>
/// Inputs known by their digests ("build without the bytes"), end to end against moto_server behind the proxy that logs
/// every request: machine A syncs the sample's images and builds it into a folder cache; runner B holds only A's
/// committed lock (with its download manifests), the cache and read access to the bucket.
/// </summary>
[NonParallelizable]
public sealed class DataBuildRemoteImagesTests : SampleBucketFixture
{
    private const string ChangedImage = "r01c02f01p01-ch2sk1fk1fl1.tiff";

    private SeededBucket bucket = null!;
    private TempDirectory machines = null!;

    private static string ChangedKey => SampleObjects.ImagesPrefix(SampleObjects.Plates[0]) + ChangedImage;

    private static string ChangedSite => "BR00116991/r01c02f01";

    /// <summary>A valid TIFF other than the changed image's: the same channel of the plate's other site.</summary>
    private byte[] ChangedContent => Sample[SampleObjects.ImagesPrefix(SampleObjects.Plates[0]) + "r01c01f01p01-ch2sk1fk1fl1.tiff"];

    private string RootA => machines.PathOf("a");

    private string RootB => machines.PathOf("b");

    private string CacheRoot => machines.PathOf("cache");

    [SetUp]
    public async Task BuildOnAAndGiveBItsLock()
    {
        bucket = await SeedBucketAsync("digests");
        machines = new TempDirectory();
        Directory.CreateDirectory(CacheRoot);
        WriteConfig(RootA, keepRaw: true, cacheMode: "read-write");
        DownloadAndBuildSites(RootA);

        // What B clones: the lock and its manifests, nothing of A's data or state.
        Directory.CreateDirectory(RootB);
        File.Copy(Path.Combine(RootA, "data.lock.json"), Path.Combine(RootB, "data.lock.json"));
        CopyFolder(Path.Combine(RootA, "data.lock.d"), Path.Combine(RootB, "data.lock.d"));
        S3.Proxy.ClearLog();
    }

    [TearDown]
    public void DeleteMachines() => machines.Dispose();

    [TestCase(true)]
    [TestCase(false)]
    public void Without_the_images_explain_lists_every_site_as_in_the_cache_and_gets_no_object(bool keepRaw)
    {
        WriteConfig(RootB, keepRaw, cacheMode: "read");
        var output = new StringWriter();

        SiteRun explained = DownloadAndBuildSites(RootB, output, explain: true);

        Assert.Multiple(() =>
        {
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.Empty, "an explain reads the listing only");
            Assert.That(explained.Tensors.Count(OutcomeKind.WouldFetch), Is.EqualTo(4));
            Assert.That(explained.Features.Report.Count(OutcomeKind.WouldFetch), Is.EqualTo(4));
            Assert.That(output.ToString(), Does.Contain($"would fetch {ChangedSite}: stale, in cache (new)"));
            Assert.That(new[] { "raw", "tensors", "features" }.Where(folder => Directory.Exists(Path.Combine(RootB, "data", folder))), Is.Empty);
        });
    }

    [Test]
    public async Task Explain_says_a_site_whose_image_changed_remotely_would_be_built_naming_the_object()
    {
        await bucket.PutAsync(ChangedKey, ChangedContent);
        WriteConfig(RootB, keepRaw: false, cacheMode: "read");
        var output = new StringWriter();

        SiteRun explained = DownloadAndBuildSites(RootB, output, explain: true);

        ItemOutcome changed = explained.Tensors.Outcomes.Single(outcome => outcome.ItemId == ChangedSite);
        Assert.Multiple(() =>
        {
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.Empty);
            Assert.That(changed.Kind, Is.EqualTo(OutcomeKind.WouldBuild));
            Assert.That(explained.Tensors.Count(OutcomeKind.WouldFetch), Is.EqualTo(3));
            Assert.That(output.ToString(), Does.Contain($"would rebuild {ChangedSite}: new"));
        });
    }

    [Test]
    public void A_runner_keeping_no_images_fetches_every_output_from_the_cache_gets_no_image_and_ends_with_As_lock()
    {
        WriteConfig(RootB, keepRaw: false, cacheMode: "read");

        SiteRun onB = DownloadAndBuildSites(RootB);

        IReadOnlyList<string> imageGets = ImageGets();
        S3.Proxy.ClearLog();
        SiteRun again = DownloadAndBuildSites(RootB);

        Assert.Multiple(() =>
        {
            Assert.That(onB.Tensors.Count(OutcomeKind.Fetched), Is.EqualTo(4));
            Assert.That(onB.Features.Report.Count(OutcomeKind.Fetched), Is.EqualTo(4));
            Assert.That(imageGets, Is.Empty);
            Assert.That(Directory.Exists(Path.Combine(RootB, "data", "raw")), Is.False, "no image lands on a runner that keeps none");
            Assert.That(LockFiles(RootB), Is.EqualTo(LockFiles(RootA)), "the lock is byte-identical to the builder's");
            Assert.That(again.Tensors.Count(OutcomeKind.UpToDate), Is.EqualTo(4));
            Assert.That(again.Features.Report.Count(OutcomeKind.UpToDate), Is.EqualTo(4));
            Assert.That(ImageGets(), Is.Empty);
        });
    }

    [Test]
    public async Task With_one_image_changed_remotely_the_runner_gets_that_sites_images_once_builds_it_and_fetches_the_rest()
    {
        await bucket.PutAsync(ChangedKey, ChangedContent);
        WriteConfig(RootB, keepRaw: false, cacheMode: "read");

        SiteRun onB = DownloadAndBuildSites(RootB);

        string siteImages = SampleObjects.ImagesPrefix(SampleObjects.Plates[0]) + "r01c02f01p01-ch";
        string manifest = File.ReadAllText(Path.Combine(RootB, "data.lock.d", "download", "BR00116991.tsv"));
        Assert.Multiple(() =>
        {
            Assert.That(onB.Tensors.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Built).Select(outcome => outcome.ItemId), Is.EqualTo(new[] { ChangedSite }));
            Assert.That(onB.Tensors.Count(OutcomeKind.Fetched), Is.EqualTo(3));
            Assert.That(onB.Features.Report.Count(OutcomeKind.Built), Is.EqualTo(1));
            Assert.That(ImageGets(), Is.EquivalentTo(Enumerable.Range(1, 5).Select(channel => $"{siteImages}{channel}sk1fk1fl1.tiff")), "the changed site's five channels, each once, for both stages");
            Assert.That(manifest, Does.Contain($"{ChangedImage}\t").And.Contain(ContentHashOf(ChangedContent)), "the digest learnt by fetching is recorded");
            Assert.That(manifest, Does.Not.Contain("\t-\n"));
        });
    }

    [Test]
    public void Without_a_lock_or_cache_a_runner_keeping_no_images_builds_everything_from_memory_and_records_every_digest()
    {
        WriteConfig(RootB, keepRaw: false, cacheMode: "off");
        File.Delete(Path.Combine(RootB, "data.lock.json"));
        Directory.Delete(Path.Combine(RootB, "data.lock.d"), recursive: true);

        SiteRun onB = DownloadAndBuildSites(RootB);

        int firstGets = ImageGets().Count;
        S3.Proxy.ClearLog();
        SiteRun again = DownloadAndBuildSites(RootB);

        Assert.Multiple(() =>
        {
            Assert.That(onB.Tensors.Count(OutcomeKind.Built), Is.EqualTo(4));
            Assert.That(firstGets, Is.EqualTo(20), "four complete sites, five channels each, fetched once");
            Assert.That(LockFiles(RootB).Where(file => file.Key.Contains("/tensors/") || file.Key.Contains("/features/")), Is.EqualTo(LockFiles(RootA).Where(file => file.Key.Contains("/tensors/") || file.Key.Contains("/features/"))));
            Assert.That(again.Tensors.Count(OutcomeKind.UpToDate), Is.EqualTo(4));
            Assert.That(ImageGets(), Is.Empty, "the recorded digests stand for the images on the second run");
            Assert.That(Directory.Exists(Path.Combine(RootB, "data", "raw")), Is.False);
        });
    }

    [Test]
    public void An_image_whose_bytes_do_not_match_its_recorded_digest_fails_only_its_site_naming_the_object()
    {
        // The lock says what the image was; a runner without the cache must fetch it and finds other bytes under the same listing.
        WriteConfig(RootB, keepRaw: false, cacheMode: "off");
        string manifestPath = Path.Combine(RootB, "data.lock.d", "download", "BR00116991.tsv");
        string forged = new string('0', 64);
        byte[] before = File.ReadAllBytes(manifestPath);
        string[] lines = File.ReadAllLines(manifestPath);
        File.WriteAllText(manifestPath, string.Concat(lines.Select(line => (line.StartsWith(ChangedImage + "\t", StringComparison.Ordinal) ? string.Join('\t', line.Split('\t')[..3].Append(forged)) : line) + "\n")));
        // The lock is forged along with it: a manifest out of step with its digest would stop the run before any fetch.
        string lockPath = Path.Combine(RootB, "data.lock.json");
        File.WriteAllText(lockPath, File.ReadAllText(lockPath).Replace(ItemManifest.DigestOf(before), ItemManifest.DigestOf(File.ReadAllBytes(manifestPath)), StringComparison.Ordinal));
        var output = new StringWriter();

        using DataBuild build = Open(RootB, output);
        build.Download();
        var failure = Assert.Throws<BuildFailedException>(() => build.TensorsAndFeatures());

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Message, Does.Contain("tensors: 1 item(s) failed"));
            Assert.That(output.ToString(), Does.Contain($"FAILED {ChangedSite}: input ch2: s3://{bucket.Name}/{ChangedKey} has SHA-256 {ContentHashOf(Sample[ChangedKey])}, not the {forged} recorded for it; nothing was built from it"));
            Assert.That(Directory.EnumerateFiles(Path.Combine(RootB, "data", "tensors"), "*.pt", SearchOption.AllDirectories).Count(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task An_image_in_memory_that_is_not_a_tiff_fails_its_site_naming_the_object()
    {
        await bucket.PutAsync(ChangedKey, "not a tiff at all"u8.ToArray());
        WriteConfig(RootB, keepRaw: false, cacheMode: "read");
        var output = new StringWriter();

        using DataBuild build = Open(RootB, output);
        build.Download();
        Assert.Throws<BuildFailedException>(() => build.TensorsAndFeatures());

        Assert.That(output.ToString(), Does.Contain($"FAILED {ChangedSite}: TiffFormatException: s3://{bucket.Name}/{ChangedKey}: not a readable TIFF file"));
    }

    /// <summary>Download, then Sites, in one session, as <c>./build.sh --target=Sites</c> runs them.</summary>
    private static SiteRun DownloadAndBuildSites(string root, TextWriter? output = null, bool explain = false)
    {
        using DataBuild build = Open(root, output, explain);
        build.Download();
        return build.TensorsAndFeatures();
    }

    private IReadOnlyList<string> ImageGets() =>
        [.. S3.Proxy.ObjectGets(bucket.Name).Where(key => SampleObjects.Plates.Any(plate => key.StartsWith(SampleObjects.ImagesPrefix(plate), StringComparison.Ordinal)))];

    private static string ContentHashOf(byte[] bytes) => Engine.State.ContentHash.Of(bytes);

    private static DataBuild Open(string root, TextWriter? output = null, bool explain = false) =>
        DataBuild.Open(new BuildOptions(root, "s3.yml", explain, TimeSpan.Zero), output ?? TextWriter.Null);

    /// <summary>data.lock.json and every manifest, by path relative to the root.</summary>
    private static Dictionary<string, byte[]> LockFiles(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "data.lock.d"), "*", SearchOption.AllDirectories)
            .Append(Path.Combine(root, "data.lock.json"))
            .ToDictionary(path => Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllBytes);

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private void WriteConfig(string root, bool keepRaw, string cacheMode) =>
        WriteS3Config(
            root,
            bucket,
            $", keep_raw: {(keepRaw ? "true" : "false")}",
            cacheMode == "off" ? string.Empty : $$"""cache: { url: "{{CacheRoot}}", mode: "{{cacheMode}}" }""");
}
