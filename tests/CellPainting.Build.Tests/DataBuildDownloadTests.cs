using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Execution;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.Stages.Imaging;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>
/// End to end through the Download target against moto_server on 127.0.0.1 (behind the proxy that logs every
/// request), seeded with the sample in the real CPJUMP1 key layout: what a user of an S3 config sees across runs.
/// </summary>
[NonParallelizable]
public sealed class DataBuildDownloadTests : SampleBucketFixture
{
    private const string ChangedImage = "r01c01f01p01-ch2sk1fk1fl1.tiff";
    private const string RemovedImage = "r01c02f01p01-ch5sk1fk1fl1.tiff";

    private SeededBucket bucket = null!;
    private string root = string.Empty;

    private static string ChangedKey => SampleObjects.ImagesPrefix(SampleObjects.Plates[0]) + ChangedImage;

    private static string RemovedKey => SampleObjects.ImagesPrefix(SampleObjects.Plates[1]) + RemovedImage;

    [SetUp]
    public async Task SeedABucketAndAnEmptyDataRoot()
    {
        bucket = await SeedBucketAsync("sample");
        root = Directory.CreateTempSubdirectory("cellpainting-download-").FullName;
        WriteConfig();
    }

    [TearDown]
    public void DeleteDataRoot() => Directory.Delete(root, recursive: true);

    [Test]
    public async Task On_an_empty_data_root_download_fetches_what_the_targets_need_and_they_build_everything()
    {
        var output = new StringWriter();
        using (DataBuild build = Open(output))
        {
            build.Download();
            Assert.Multiple(() =>
            {
                Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.EqualTo(4));
                Assert.That(build.Features().Report.Count(OutcomeKind.Built), Is.EqualTo(4));
                Assert.That(build.Metadata().Count(OutcomeKind.Built), Is.Positive);
                Assert.That(build.Splits().Count(OutcomeKind.Built), Is.Positive);
            });
        }

        string[] fetched = ExpectedKeys();
        Assert.Multiple(() =>
        {
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.EquivalentTo(fetched));
            Assert.That(output.ToString(), Does.Contain($"download: {fetched.Length}/{fetched.Length} objects, "));
            Assert.That(Directory.EnumerateFiles(Path.Combine(root, "data", "tensors"), "*.pt", SearchOption.AllDirectories).Count(), Is.EqualTo(4));
        });

        using JsonDocument lockFile = JsonDocument.Parse(File.ReadAllBytes(LockPath));
        JsonElement groups = lockFile.RootElement.GetProperty("targets").GetProperty("download").GetProperty("groups");
        Assert.That(groups.EnumerateObject().Select(group => group.Name), Is.EquivalentTo(new[] { "BR00116991", "BR00117000", "metadata-external-metadata", "metadata-platemaps" }));
        foreach (string plate in SampleObjects.Plates)
        {
            string prefix = SampleObjects.ImagesPrefix(plate);
            string[] keys = [.. fetched.Where(key => key.StartsWith(prefix, StringComparison.Ordinal))];
            var lines = new List<string>();
            foreach (string key in keys)
            {
                lines.Add($"{key[prefix.Length..]}\t{await bucket.ETagAsync(key)}\t{Sample[key].Length}\n");
            }

            JsonElement group = groups.GetProperty(plate[..plate.IndexOf("__", StringComparison.Ordinal)]);
            Assert.Multiple(() =>
            {
                Assert.That(group.GetProperty("url").GetString(), Is.EqualTo($"s3://{bucket.Name}/{prefix}"));
                Assert.That(group.GetProperty("items").GetInt32(), Is.EqualTo(10));
                Assert.That(group.GetProperty("bytes").GetString(), Is.EqualTo(keys.Sum(key => (long)Sample[key].Length).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(group.GetProperty("listing_digest").GetString(), Is.EqualTo("sha256:" + Sha256(string.Concat(lines.Order(StringComparer.Ordinal)))));
            });
        }
    }

    [Test]
    public void A_second_download_issues_no_get_and_rewrites_no_lock_byte()
    {
        Download();
        Dictionary<string, (byte[] Content, FileStamp? Stamp)> before = LockFiles();
        S3.Proxy.ClearLog();

        var output = new StringWriter();
        Download(output);

        Assert.Multiple(() =>
        {
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.Empty);
            Assert.That(S3.Proxy.Requests.Count(request => request.IsListingOf(bucket.Name)), Is.EqualTo(4));
            Assert.That(LockFiles(), Is.EqualTo(before));
            Assert.That(output.ToString(), Does.Contain($"download: {SampleObjects.Plates[0]}: 10 objects").And.Contain("fetched 0 (0.0 MB)"));
        });
    }

    [Test]
    public async Task An_object_changed_remotely_is_fetched_alone_and_only_its_site_is_rebuilt()
    {
        RunAll();
        string untouchedDigest = GroupDigest("BR00117000");
        string changedDigest = GroupDigest("BR00116991");
        await ChangeRemotely(ChangedKey);
        S3.Proxy.ClearLog();

        using DataBuild build = Open();
        build.Download();
        StageReport tensors = build.Tensors();
        StageReport features = build.Features().Report;

        ItemOutcome rebuilt = tensors.Outcomes.Single(outcome => outcome.Kind == OutcomeKind.Built);
        Assert.Multiple(() =>
        {
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.EqualTo(new[] { ChangedKey }));
            Assert.That(rebuilt.ItemId, Is.EqualTo("BR00116991/r01c01f01"));
            Assert.That(rebuilt.Staleness.Reason, Is.EqualTo(StaleReason.InputChanged));
            Assert.That(rebuilt.Staleness.Detail, Is.EqualTo("ch2 modified"));
            Assert.That(features.Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Built).Select(outcome => outcome.ItemId), Is.EqualTo(new[] { "BR00116991/r01c01f01" }));
            Assert.That(GroupDigest("BR00117000"), Is.EqualTo(untouchedDigest));
            Assert.That(GroupDigest("BR00116991"), Is.Not.EqualTo(changedDigest));
            Assert.That(File.ReadAllBytes(LocalImage(SampleObjects.Plates[0], ChangedImage)), Is.EqualTo(bucket.Objects[ChangedKey]));
        });
    }

    [Test]
    public async Task An_object_deleted_remotely_is_reported_and_its_local_copy_kept_and_still_built()
    {
        Download();
        string localCopy = LocalImage(SampleObjects.Plates[1], RemovedImage);
        byte[] content = File.ReadAllBytes(localCopy);
        await bucket.DeleteAsync(RemovedKey);
        S3.Proxy.ClearLog();

        var output = new StringWriter();
        using DataBuild build = Open(output);
        build.Download();

        Assert.Multiple(() =>
        {
            Assert.That(output.ToString(), Does.Contain($"  removed remotely: {RemovedImage} (local copy kept)"));
            Assert.That(File.ReadAllBytes(localCopy), Is.EqualTo(content));
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.Empty);
            Assert.That(File.ReadAllText(ManifestPath("BR00117000")), Does.Not.Contain(RemovedImage));
            Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.EqualTo(4));
        });
    }

    [Test]
    public void An_image_deleted_here_costs_nothing_while_its_site_is_up_to_date_and_is_fetched_back_once_by_a_build_that_needs_it()
    {
        RunAll();
        string plate = SampleObjects.Plates[1];
        string image = "r01c01f01p01-ch1sk1fk1fl1.tiff";
        File.Delete(LocalImage(plate, image));
        S3.Proxy.ClearLog();

        StageReport unchanged;
        using (DataBuild build = Open())
        {
            build.Download();
            unchanged = build.Tensors();
        }

        IReadOnlyList<string> getsWhileUpToDate = S3.Proxy.ObjectGets(bucket.Name);
        File.Delete(Path.Combine(root, "data", "tensors", "BR00117000", "r01c01f01.pt"));
        StageReport rebuilt;
        using (DataBuild build = Open())
        {
            build.Download();
            rebuilt = build.Tensors();
        }

        Assert.Multiple(() =>
        {
            Assert.That(unchanged.Count(OutcomeKind.UpToDate), Is.EqualTo(4));
            Assert.That(getsWhileUpToDate, Is.Empty, "Download leaves an image known by its digest to the builds that need it");
            Assert.That(rebuilt.Count(OutcomeKind.Built), Is.EqualTo(1));
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.EqualTo(new[] { SampleObjects.ImagesPrefix(plate) + image }));
            Assert.That(File.ReadAllBytes(LocalImage(plate, image)), Is.EqualTo(Sample[SampleObjects.ImagesPrefix(plate) + image]), "fetched back into the raw folder");
        });
    }

    [Test]
    public async Task With_delete_removed_an_object_deleted_remotely_loses_its_local_copy()
    {
        WriteConfig("delete_removed: true");
        Download();
        await bucket.DeleteAsync(RemovedKey);

        string explained = Explain();
        var output = new StringWriter();
        Download(output);

        Assert.Multiple(() =>
        {
            Assert.That(explained, Does.Contain($"  removed remotely {RemovedImage}: the local copy would be deleted"));
            Assert.That(output.ToString(), Does.Contain($"  removed remotely: {RemovedImage} (local copy deleted)"));
            Assert.That(File.Exists(LocalImage(SampleObjects.Plates[1], RemovedImage)), Is.False);
        });
    }

    [Test]
    public void A_manifest_out_of_step_with_the_lock_stops_the_download_before_it_compares_anything()
    {
        WriteConfig("delete_removed: true");
        Download();
        File.AppendAllText(ManifestPath("BR00116991"), "# edited\n");

        using DataBuild build = Open(TextWriter.Null);
        var error = Assert.Throws<LockFileException>(build.Download);

        Assert.That(error!.Message, Does.StartWith("data.lock.d/download/BR00116991.tsv: has digest sha256:").And.Contain("but data.lock.json records sha256:"));
    }

    [Test]
    public void A_tampered_manifest_line_that_climbs_out_of_the_plate_folder_deletes_nothing_and_fails_naming_it()
    {
        WriteConfig("delete_removed: true");
        Download();
        string victim = Path.Combine(root, "data", "victim.txt");
        File.WriteAllText(victim, "keep me");
        string climbing = "../../../../victim.txt";
        // Tampered with the lock's digest to match, as a malicious commit would: the manifest passes its digest check.
        string lockPath = Path.Combine(root, "data.lock.json");
        byte[] before = File.ReadAllBytes(ManifestPath("BR00116991"));
        File.AppendAllText(ManifestPath("BR00116991"), $"{climbing}\td41d8cd98f00b204e9800998ecf8427e\t7\t{new string('0', 64)}\n");
        File.WriteAllText(lockPath, File.ReadAllText(lockPath).Replace(ItemManifest.DigestOf(before), ItemManifest.DigestOf(File.ReadAllBytes(ManifestPath("BR00116991"))), StringComparison.Ordinal));

        var output = new StringWriter();
        using DataBuild build = Open(output);
        var error = Assert.Throws<BuildFailedException>(build.Download);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(victim), Is.EqualTo("keep me"));
            Assert.That(error!.Message, Does.Contain("1 object(s) or listing(s) failed"));
            Assert.That(output.ToString(), Does.Contain($"FAILED {SampleObjects.ImagesPrefix(SampleObjects.Plates[0])}{climbing}: Not deleting the local copy of a removed object"));
        });
    }

    [Test]
    public void Explain_on_an_empty_data_root_lists_every_object_as_new_without_a_get_and_writes_nothing()
    {
        string text = Explain();
        Assert.Multiple(() =>
        {
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.Empty);
            Assert.That(S3.Proxy.Requests.Count(request => request.IsListingOf(bucket.Name)), Is.EqualTo(4));
            Assert.That(text, Does.Contain($"download: {SampleObjects.Plates[0]}: 10 objects ("));
            Assert.That(text, Does.Contain("would fetch 10 (").And.Contain("): 10 new"));
            Assert.That(text, Does.Contain($"  would fetch {ChangedImage}: new"));
            Assert.That(text, Does.Contain($"download: would fetch {ExpectedKeys().Length} object(s) ("));
            Assert.That(Directory.Exists(Path.Combine(root, "data", "raw")), Is.False);
            Assert.That(Directory.Exists(Path.Combine(root, "data", "metadata")), Is.False);
            Assert.That(File.Exists(LockPath), Is.False);
            Assert.That(Directory.Exists(Path.Combine(root, "data.lock.d")), Is.False);
        });
    }

    [Test]
    public async Task Explain_after_a_sync_reports_changed_new_missing_and_removed_objects_without_a_get_and_changes_nothing()
    {
        Download();
        await ChangeRemotely(ChangedKey);
        await bucket.DeleteAsync(RemovedKey);
        string addedImage = "r01c01f02p01-ch1sk1fk1fl1.tiff";
        await bucket.PutAsync(SampleObjects.ImagesPrefix(SampleObjects.Plates[0]) + addedImage, Sample[ChangedKey]);
        string missingImage = "r01c01f01p01-ch1sk1fk1fl1.tiff";
        File.Delete(LocalImage(SampleObjects.Plates[1], missingImage));
        Dictionary<string, (byte[] Content, FileStamp? Stamp)> locks = LockFiles();
        Dictionary<string, byte[]> data = DataFiles();
        S3.Proxy.ClearLog();

        string text = Explain();
        Assert.Multiple(() =>
        {
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.Empty);
            Assert.That(text, Does.Contain($"download: {SampleObjects.Plates[0]}: 11 objects ("));
            Assert.That(text, Does.Contain("): 1 new, 1 changed remotely"));
            Assert.That(text, Does.Contain($"  would fetch {ChangedImage}: changed remotely"));
            Assert.That(text, Does.Contain($"  would fetch {addedImage}: new"));
            Assert.That(text, Does.Not.Contain($"would fetch {missingImage}"), "a missing image whose digest is recorded is left to the builds that need it");
            Assert.That(text, Does.Contain($"  removed remotely {RemovedImage}: the local copy would be kept"));
            Assert.That(text, Does.Contain($"download: {SampleObjects.Plates[1]}: 9 objects (").And.Contain("; 1 removed remotely; 1 not here, known by their recorded digests: the builds that need them fetch them"));
            Assert.That(text, Does.Contain("download: external_metadata: 3 objects (").And.Contain("), up to date"));
            Assert.That(text, Does.Contain("download: would fetch 2 object(s) ("));
            Assert.That(LockFiles(), Is.EqualTo(locks));
            Assert.That(DataFiles(), Is.EqualTo(data));
        });
    }

    [Test]
    public void Credentials_from_a_named_profile_sign_every_request_and_appear_in_no_output_or_file()
    {
        const string accessKey = "AKIACPBUILDTEST00042";
        const string secret = "cpbuild/Test+Secret/DoNotPrint0123456789ab";
        using var home = new TempDirectory();
        File.WriteAllText(home.PathOf("credentials"), $"[cpbuild-test]\naws_access_key_id = {accessKey}\naws_secret_access_key = {secret}\n");
        WriteConfig("aws_no_sign_request: false, profile: \"cpbuild-test\"");
        S3.Proxy.ScheduleObjectFaults(bucket.Name, ChangedKey, ProxyFault.InternalError);
        S3.Proxy.ScheduleObjectFaults(bucket.Name, RemovedKey, Enumerable.Repeat(ProxyFault.TruncateBody, 5).ToArray());
        var output = new StringWriter();
        string? failure;
        using (new AwsProfilesLocation(home.PathOf("credentials")))
        {
            using (DataBuild build = Open(output, explain: true))
            {
                build.Download();
            }

            using (DataBuild build = Open(output))
            {
                failure = Assert.Throws<BuildFailedException>(build.Download)?.Message;
            }
        }

        string written = string.Concat(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(path => Encoding.Latin1.GetString(File.ReadAllBytes(path))));
        Assert.Multiple(() =>
        {
            Assert.That(S3.Proxy.Requests, Is.Not.Empty.And.All.Property(nameof(ProxyRequest.HasAuthorization)).True);
            Assert.That(output.ToString(), Does.Contain("transient fault(s) retried").And.Contain($"FAILED {RemovedKey}"));
            foreach (string text in new[] { output.ToString(), failure ?? string.Empty, written })
            {
                Assert.That(text, Does.Not.Contain(accessKey).And.Not.Contain(secret));
            }
        });
    }

    [Test]
    public void Sharded_downloads_following_a_plan_fetch_the_metadata_and_their_plates_and_merge_into_one_downloads_lock()
    {
        var options = new BuildOptions(root, "s3.yml", Explain: false, TimeSpan.Zero);
        ShardPlanner.Plan(options, 2, "plan.json", TextWriter.Null); // no images here yet: both plates estimated alike
        string[] metadata = [.. ExpectedKeys().Where(key => !SampleObjects.Plates.Any(plate => key.StartsWith(SampleObjects.ImagesPrefix(plate), StringComparison.Ordinal)))];
        for (int shard = 1; shard <= 2; shard++)
        {
            S3.Proxy.ClearLog();
            using (DataBuild build = DataBuild.Open(options.WithSharding($"{shard}/2", "plan.json", "dl"), TextWriter.Null))
            {
                build.Download();
            }

            string plate = SampleObjects.ImagesPrefix(SampleObjects.Plates[shard - 1]);
            Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.EquivalentTo(metadata.Concat(ExpectedKeys().Where(key => key.StartsWith(plate, StringComparison.Ordinal)))), $"shard {shard}/2");
        }

        using (DataBuild build = Open())
        {
            build.MergeLocks([], ["dl"]);
        }

        byte[] merged = File.ReadAllBytes(LockPath);
        S3.Proxy.ClearLog();
        Download();
        Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.Empty, "the merged lock is what one download records: nothing left to fetch");
        Assert.That(File.ReadAllBytes(LockPath), Is.EqualTo(merged));
    }

    [Test]
    public void A_sharded_download_without_a_plan_before_the_images_are_here_is_an_error_saying_to_make_one()
    {
        using DataBuild build = DataBuild.Open(new BuildOptions(root, "s3.yml", Explain: false, TimeSpan.Zero).WithSharding("1/2", null, "dl"), TextWriter.Null);

        var thrown = Assert.Throws<CellPainting.Engine.Sharding.ShardSpecException>(() => build.Download());

        Assert.That(thrown!.Message, Does.Contain("BR00116991, BR00117000 has none here yet").And.Contain("--shard-plan=shard-plan.json"));
        Assert.That(S3.Proxy.ObjectGets(bucket.Name), Is.Empty);
    }

    private DataBuild Open(TextWriter? output = null, bool explain = false) =>
        DataBuild.Open(new BuildOptions(root, "s3.yml", explain, TimeSpan.Zero), output ?? TextWriter.Null);

    private void Download(TextWriter? output = null)
    {
        using DataBuild build = Open(output);
        build.Download();
    }

    private string Explain()
    {
        var output = new StringWriter();
        using (DataBuild build = Open(output, explain: true))
        {
            build.Download();
        }

        return output.ToString();
    }

    private void RunAll()
    {
        using DataBuild build = Open();
        build.Download();
        build.Tensors();
        build.Features();
        build.Metadata();
        build.Splits();
    }

    /// <summary>Replaces the object with a TIFF whose first pixel differs.</summary>
    private async Task ChangeRemotely(string key)
    {
        Gray16Image image = TiffDecoder.Decode(bucket.Objects[key], key);
        image.Pixels[0] ^= 0x0101;
        await bucket.PutAsync(key, TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.Lzw, horizontalPredictor: true, rowsPerStrip: 16, tileSize: 0)));
    }

    /// <summary>The keys a sync of the config must fetch: all but the brightfield channels 6–8.</summary>
    private string[] ExpectedKeys() =>
        [.. bucket.Objects.Keys.Where(key => !(key.EndsWith("-ch6sk1fk1fl1.tiff", StringComparison.Ordinal) || key.EndsWith("-ch7sk1fk1fl1.tiff", StringComparison.Ordinal) || key.EndsWith("-ch8sk1fk1fl1.tiff", StringComparison.Ordinal)))];

    private string LockPath => Path.Combine(root, "data.lock.json");

    private string ManifestPath(string group) => Path.Combine(root, "data.lock.d", DownloadLock.Target, group + ".tsv");

    private string LocalImage(string plate, string file) => Path.Combine(root, "data", "raw", SampleObjects.Batch, plate, "Images", file);

    private string GroupDigest(string group)
    {
        using JsonDocument lockFile = JsonDocument.Parse(File.ReadAllBytes(LockPath));
        return lockFile.RootElement.GetProperty("targets").GetProperty("download").GetProperty("groups").GetProperty(group).GetProperty("digest").GetString()!;
    }

    /// <summary>The lock and its manifests with their stat stamps: equal stamps mean the files were not rewritten.</summary>
    private Dictionary<string, (byte[] Content, FileStamp? Stamp)> LockFiles() =>
        Directory.EnumerateFiles(Path.Combine(root, "data.lock.d"), "*", SearchOption.AllDirectories)
            .Append(LockPath)
            .ToDictionary(path => Path.GetRelativePath(root, path), path => (File.ReadAllBytes(path), FileStatReader.TryRead(path)));

    /// <summary>Every file under data/ except the local engine state.</summary>
    private Dictionary<string, byte[]> DataFiles() =>
        Directory.EnumerateFiles(Path.Combine(root, "data"), "*", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}.cpbuild{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(path => Path.GetRelativePath(root, path), File.ReadAllBytes);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private void WriteConfig(string fetchExtras = "") => WriteS3Config(root, bucket, fetchExtras.Length == 0 ? string.Empty : ", " + fetchExtras);
}
