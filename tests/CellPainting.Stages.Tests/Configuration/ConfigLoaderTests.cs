using CellPainting.Engine.Caching;
using CellPainting.Engine.LockFiles;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private const string Root = "/repo";

    [Test]
    public void Reads_the_reference_section_and_fills_this_builds_defaults()
    {
        BuildConfig config = ConfigLoader.Parse(
            """
            cpjump:
              batch: "2020_11_04_CPJUMP1"
              plates:
                - BR00116991__2020-11-05T19_51_35-Measurement1
              local:
                raw_images: "data/raw"
              extraction:
                device: "cuda"
                batch_size: 48
            """,
            "test.yml",
            Root);

        Assert.Multiple(() =>
        {
            Assert.That(config.Batch, Is.EqualTo("2020_11_04_CPJUMP1"));
            Assert.That(config.Plates.Single().Barcode, Is.EqualTo("BR00116991"));
            Assert.That(config.Local.RawImages, Is.EqualTo("/repo/data/raw"));
            Assert.That(config.Local.State, Is.EqualTo("/repo/data/.cpbuild"));
            Assert.That(config.Tensors.Size, Is.EqualTo(384));
            Assert.That(config.Extraction.BatchSize, Is.EqualTo(48));
            Assert.That(config.Extraction.VariantLayout, Is.False);
            Assert.That(config.Build.LockPath, Is.EqualTo("/repo/data.lock.json"));
            Assert.That(config.Sample, Is.Null);
            Assert.That(config.Fetch.DeleteRemoved, Is.False);
            Assert.That(config.Fetch.KeepRaw, Is.True);
            Assert.That(config.S3Uri(config.Images), Is.EqualTo("s3://cellpainting-gallery/cpg0000-jump-pilot/source_4/images/2020_11_04_CPJUMP1/images"));
        });
    }

    [Test]
    public void Fetch_settings_say_where_to_sync_from_and_whether_to_delete_what_was_removed_remotely()
    {
        BuildConfig config = ConfigLoader.Parse(
            """
            cpjump:
              batch: "2020_11_04_CPJUMP1"
              plates: ["BR00116991__2020-11-05T19_51_35-Measurement1"]
              fetch: { source: "s3", endpoint_url: "http://127.0.0.1:9000/", aws_no_sign_request: false, profile: "lab", parallelism: 4, delete_removed: true }
            """,
            "test.yml",
            Root);

        Assert.Multiple(() =>
        {
            Assert.That(config.Fetch.Source, Is.EqualTo("s3"));
            Assert.That(config.Fetch.EndpointUrl, Is.EqualTo("http://127.0.0.1:9000/"));
            Assert.That(config.Fetch.NoSignRequest, Is.False);
            Assert.That(config.Fetch.Profile, Is.EqualTo("lab"));
            Assert.That(config.Fetch.Parallelism, Is.EqualTo(4));
            Assert.That(config.Fetch.DeleteRemoved, Is.True);
        });
    }

    [Test]
    public void Images_fetched_from_s3_may_be_kept_out_of_the_local_folder()
    {
        BuildConfig config = ConfigLoader.Parse("cpjump:\n  batch: \"b\"\n  fetch: { source: \"s3\", keep_raw: false }\n", "test.yml", Root);

        Assert.That(config.Fetch.KeepRaw, Is.False);
    }

    [Test]
    public void Keeping_local_images_out_of_their_own_folder_is_an_error_at_its_line()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("cpjump:\n  batch: \"b\"\n  fetch:\n    keep_raw: false\n", "test.yml", Root));

        Assert.That(error!.Message, Is.EqualTo("test.yml:4: cpjump.fetch.keep_raw is false but cpjump.fetch.source is local: only images fetched from S3 can be kept out of the local folder"));
    }

    [Test]
    public void Without_a_cache_section_the_cache_is_off()
    {
        BuildConfig config = ConfigLoader.Parse("cpjump: { batch: \"b\" }", "test.yml", Root);

        Assert.That(config.Cache, Is.EqualTo(CacheSettings.Off));
    }

    [Test]
    public void A_cache_in_a_bucket_keeps_its_url_and_splits_it_into_bucket_and_prefix()
    {
        BuildConfig config = ConfigLoader.Parse(
            """
            cpjump:
              batch: "b"
              cache: { url: "s3://lab-cache/cpjump1/v1", mode: "read-write", required: true }
            """,
            "test.yml",
            Root);

        Assert.Multiple(() =>
        {
            Assert.That(config.Cache, Is.EqualTo(new CacheSettings("s3://lab-cache/cpjump1/v1", CacheMode.ReadWrite, true)));
            Assert.That(config.Cache.Bucket, Is.EqualTo(new S3Url("lab-cache", "cpjump1/v1/")));
        });
    }

    [Test]
    public void A_cache_folder_resolves_against_the_root_and_defaults_to_not_required()
    {
        BuildConfig config = ConfigLoader.Parse("cpjump: { batch: \"b\", cache: { url: \"shared/cache\", mode: \"read\" } }", "test.yml", Root);

        Assert.Multiple(() =>
        {
            Assert.That(config.Cache, Is.EqualTo(new CacheSettings("/repo/shared/cache", CacheMode.Read, false)));
            Assert.That(config.Cache.Bucket, Is.Null);
        });
    }

    [TestCase("cache:\n    mode: \"sometimes\"", "test.yml:4: cpjump.cache.mode: expected one of off, read, read-write, found 'sometimes'")]
    [TestCase("cache:\n    mode: \"read\"", "test.yml:4: cpjump.cache.url is required when the cache is on")]
    [TestCase("cache:\n    url: \"s3:///no-bucket\"\n    mode: \"read\"", "test.yml:4: cpjump.cache.url: expected s3://bucket/prefix, found 's3:///no-bucket'")]
    [TestCase("cache:\n    url: \"https://example.org/cache\"", "test.yml:4: cpjump.cache.url: expected s3://bucket/prefix or a folder, found 'https://example.org/cache'")]
    [TestCase("cache:\n    url: \"/shared\"\n    required: true", "test.yml:5: cpjump.cache.required is true but cpjump.cache.mode is off")]
    [TestCase("cache:\n    url: \"/shared\"\n    endpoint: \"x\"", "test.yml:5: unknown key cpjump.cache.endpoint")]
    public void A_bad_cache_section_is_an_error_naming_the_file_line_and_key(string section, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($"cpjump:\n  batch: \"b\"\n  {section}\n", "test.yml", Root));

        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Manifests_are_committed_unless_the_config_says_cache()
    {
        BuildConfig committed = ConfigLoader.Parse("cpjump: { batch: \"b\" }", "test.yml", Root);
        BuildConfig cached = ConfigLoader.Parse("cpjump: { batch: \"b\", build: { manifests: \"cache\" }, cache: { url: \"/shared\", mode: \"read\" } }", "test.yml", Root);

        Assert.That((committed.Build.Manifests, cached.Build.Manifests), Is.EqualTo((ManifestMode.Commit, ManifestMode.Cache)));
    }

    [TestCase("build:\n    manifests: \"git\"", "test.yml:4: cpjump.build.manifests: expected one of commit, cache, found 'git'")]
    [TestCase("build:\n    manifests: \"cache\"", "test.yml:4: cpjump.build.manifests is cache, but the shared cache is off: set cpjump.cache.url and cpjump.cache.mode (read or read-write), or keep the manifests committed (commit)")]
    [TestCase("build:\n    manifests: \"cache\"\n  cache:\n    url: \"/shared\"\n    mode: \"off\"", "test.yml:4: cpjump.build.manifests is cache, but the shared cache is off: set cpjump.cache.url and cpjump.cache.mode (read or read-write), or keep the manifests committed (commit)")]
    public void Bad_manifests_settings_are_errors_naming_the_file_line_and_key(string section, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($"cpjump:\n  batch: \"b\"\n  {section}\n", "test.yml", Root));
        var reviewError = Assert.Throws<ConfigException>(() => ConfigLoader.ParseLockSettings($"cpjump:\n  batch: \"b\"\n  {section}\n", "test.yml", Root));

        Assert.That((error!.Message, reviewError!.Message), Is.EqualTo((message, message)));
    }

    [Test]
    public void Lock_settings_read_only_what_a_review_needs_and_ignore_the_rest_of_the_config()
    {
        LockSettings settings = ConfigLoader.ParseLockSettings(
            """
            cpjump:
              unknown: 1
              local: { state: "state", tensors: 5 }
              build: { lock: "locks/data.lock.json", manifests: "cache", parallelism: "many" }
              cache: { url: "s3://lab-cache/cpjump1", mode: "read" }
              fetch: { endpoint_url: "http://127.0.0.1:9000" }
            """,
            "review.yml",
            Root);

        Assert.That(settings, Is.EqualTo(new LockSettings(
            "/repo/locks/data.lock.json",
            ManifestMode.Cache,
            "/repo/state",
            new CacheSettings("s3://lab-cache/cpjump1", CacheMode.Read, false),
            settings.Fetch)));
        Assert.That(settings.Fetch.EndpointUrl, Is.EqualTo("http://127.0.0.1:9000"));
    }

    [Test]
    public void An_unknown_key_is_an_error_naming_the_key_and_its_line()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            """
            cpjump:
              batch: "b"
              local:
                raw_imgs: "data/raw"
            """,
            "bad.yml",
            Root));

        Assert.That(error!.Message, Is.EqualTo("bad.yml:4: unknown key cpjump.local.raw_imgs"));
    }

    [Test]
    public void A_wrong_type_is_an_error_naming_the_key_and_its_line()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            """
            cpjump:
              batch: "b"
              tensors:
                size: large
            """,
            "bad.yml",
            Root));

        Assert.That(error!.Message, Is.EqualTo("bad.yml:4: cpjump.tensors.size: expected an integer, found 'large'"));
    }

    [Test]
    public void The_features_layout_is_reference_or_variant_and_nothing_else()
    {
        static BuildConfig WithLayout(string layout) =>
            ConfigLoader.Parse($"cpjump:\n  batch: \"b\"\n  extraction:\n    layout: {layout}\n", "layout.yml", Root);

        Assert.That((WithLayout("reference").Extraction.VariantLayout, WithLayout("variant").Extraction.VariantLayout), Is.EqualTo((false, true)));
        Assert.That(
            () => WithLayout("gallery"),
            Throws.TypeOf<ConfigException>().With.Message.EqualTo("layout.yml:4: cpjump.extraction.layout: expected one of reference, variant, found 'gallery'"));
    }

    [Test]
    public void A_list_where_a_value_belongs_is_an_error()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("cpjump:\n  batch: [a, b]\n", "bad.yml", Root));

        Assert.That(error!.Message, Does.StartWith("bad.yml:2: cpjump.batch: expected a single value"));
    }

    [Test]
    public void A_config_without_a_cpjump_section_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("other: 1\n", "bad.yml", Root));

        Assert.That(error!.Message, Does.Contain("no 'cpjump' section"));
    }

    [Test]
    public void Two_plate_directories_of_one_barcode_are_refused_because_outputs_are_keyed_by_barcode()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            "cpjump:\n  batch: b\n  plates: [BR1__x-Measurement1, BR1__y-Measurement2]\n",
            "bad.yml",
            Root));

        Assert.That(error!.Message, Does.Contain("BR1"));
    }

    [Test]
    public void The_shipped_configs_load()
    {
        string repository = RepositoryRoot();
        Assert.Multiple(() =>
        {
            Assert.That(ConfigLoader.Load("configs/sample.yml", repository).Sample, Is.Not.Null);
            Assert.That(ConfigLoader.Load("configs/cpjump1.yml", repository).Plates, Has.Count.EqualTo(51));
        });
    }

    private static string RepositoryRoot()
    {
        DirectoryInfo? directory = new(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CellPaintingBuild.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found above the test directory.");
    }

    [TestCase(2)]
    [TestCase(4)]
    [TestCase(5)]
    public void A_tab_in_the_indentation_is_reported_at_its_own_line(int line)
    {
        string[] lines = ["cpjump:", "  batch: \"2020_11_04_CPJUMP1\"", "  tensors:", "    size: 224", "  build:", "    lock: \"data.lock.json\""];
        lines[line - 1] = "\t" + lines[line - 1].TrimStart();

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(string.Join('\n', lines) + "\n", "tab.yml", Root));

        Assert.That(error!.Message, Does.StartWith($"tab.yml:{line}: "));
        Assert.That(error.Message, Does.Contain("tab"));
    }
}
