using CellPainting.Engine.Caching;
using CellPainting.Engine.LockFiles;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CellPainting.Stages.Configuration;

/// <summary>
/// Reads a dataset config. Relative paths resolve against <c>root</c> (the repository, where build.sh runs),
/// as the reference resolves them against its working directory. Unknown keys and wrong types are errors.
/// </summary>
public static class ConfigLoader
{
    public const string DefaultLockPath = "data.lock.json";
    public const string DefaultStatePath = "data/.cpbuild";

    public static BuildConfig Load(string path, string root) => Parse(ReadText(path, root), path, root);

    public static BuildConfig Parse(string yaml, string fileName, string root)
    {
        YamlSection document = ReadDocument(yaml, fileName);
        YamlSection cpjump = document.Section("cpjump") ?? throw new ConfigException($"{fileName}:1: config has no 'cpjump' section.");
        document.RejectUnknownKeys();
        BuildConfig config = ReadCpJump(cpjump, fileName, root);
        return config;
    }

    /// <summary>
    /// Only what reviewing a lock needs (<c>build.lock</c> and <c>build.manifests</c>, <c>local.state</c>, and the
    /// <c>cache</c> and <c>fetch</c> sections that reach the cache), paths resolved against <paramref name="root"/>:
    /// nothing else in the config is checked.
    /// </summary>
    public static LockSettings ReadLockSettings(string path, string root) => ParseLockSettings(ReadText(path, root), path, root);

    public static LockSettings ParseLockSettings(string yaml, string fileName, string root)
    {
        YamlSection? cpjump = ReadDocument(yaml, fileName).Section("cpjump");
        YamlSection? build = cpjump?.Section("build");
        ManifestMode manifests = ReadManifestMode(build);
        CacheSettings cache = ReadCache(cpjump?.Section("cache"), root);
        RequireCacheForManifests(build, manifests, cache);
        return new LockSettings(
            Path.GetFullPath(build?.String("lock", DefaultLockPath) ?? DefaultLockPath, root),
            manifests,
            ReadStatePath(cpjump?.Section("local"), root),
            cache,
            ReadFetch(cpjump?.Section("fetch")));
    }

    private static string ReadText(string path, string root)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(root);
        string fullPath = Path.GetFullPath(path, root);
        if (!File.Exists(fullPath))
        {
            throw new ConfigException($"{path}: config file not found.");
        }

        return File.ReadAllText(fullPath);
    }

    private static YamlSection ReadDocument(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            // YamlDotNet places a tab in the indentation at the start of the mapping it was scanning, often line 1.
            int tab = LineIndentedWithTab(yaml);
            throw tab > 0
                ? new ConfigException($"{fileName}:{tab}: not valid YAML: a tab in the indentation (YAML indents with spaces only)", exception)
                : new ConfigException($"{fileName}:{exception.Start.Line}: not valid YAML: {exception.Message}", exception);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode top)
        {
            throw new ConfigException($"{fileName}:1: a config is a mapping with a 'cpjump' section.");
        }

        return new YamlSection(top, fileName, string.Empty);
    }

    /// <summary>The first line (from 1) whose indentation holds a tab, or 0.</summary>
    private static int LineIndentedWithTab(string yaml)
    {
        string[] lines = yaml.ReplaceLineEndings("\n").Split('\n');
        int index = Array.FindIndex(lines, line => line[..(line.Length - line.TrimStart(' ', '\t').Length)].Contains('\t', StringComparison.Ordinal));
        return index + 1;
    }

    private static BuildConfig ReadCpJump(YamlSection cpjump, string fileName, string root)
    {
        string batch = cpjump.RequiredString("batch");
        string endpoint = cpjump.String("endpoint", "s3://cellpainting-gallery/cpg0000-jump-pilot/source_4");
        string images = cpjump.String("images", "images/{batch}/images");
        string metadata = cpjump.String("metadata", "workspace/metadata/platemaps/{batch}");
        string externalMetadata = cpjump.String("external_metadata", "workspace/metadata/external_metadata");
        PlateDirectory[] plates = cpjump.StringList("plates", []).Select(name => new PlateDirectory(name)).ToArray();
        string? duplicate = plates.GroupBy(plate => plate.Barcode).FirstOrDefault(group => group.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new ConfigException($"{fileName}: cpjump.plates lists barcode {duplicate} more than once; outputs are keyed by barcode.");
        }

        LocalPaths local = ReadLocal(cpjump.Section("local"), root);
        ExtractionSettings extraction = ReadExtraction(cpjump.Section("extraction"), root);
        FetchSettings fetch = ReadFetch(cpjump.Section("fetch"));
        TensorSettings tensors = ReadTensors(cpjump.Section("tensors"));
        YamlSection? buildSection = cpjump.Section("build");
        BuildSettings build = ReadBuild(buildSection, root);
        SplitSettings splits = ReadSplits(cpjump.Section("splits"));
        SampleSettings? sample = ReadSample(cpjump.Section("sample"));
        LayoutSettings layout = LayoutReader.Read(cpjump.Section("layout"), endpoint, root);
        CacheSettings cache = ReadCache(cpjump.Section("cache"), root);
        RequireCacheForManifests(buildSection, build.Manifests, cache);
        cpjump.RejectUnknownKeys();
        return new BuildConfig(fileName, batch, endpoint, images, metadata, externalMetadata, plates, local, extraction, fetch, tensors, build, splits, sample, layout, cache);
    }

    private static LocalPaths ReadLocal(YamlSection? section, string root)
    {
        string Resolve(string key, string fallback) => Path.GetFullPath(section?.String(key, fallback) ?? fallback, root);
        var local = new LocalPaths(
            Resolve("raw_images", "data/raw"),
            Resolve("metadata", "data/metadata"),
            Resolve("features", "data/features"),
            Resolve("tensors", "data/tensors"),
            Resolve("splits", "data/splits"),
            ReadStatePath(section, root));
        // Accepted for compatibility with the reference's schema; this build reads raw TIFFs only.
        section?.OptionalString("compressed_images");
        section?.RejectUnknownKeys();
        return local;
    }

    private static ExtractionSettings ReadExtraction(YamlSection? section, string root)
    {
        string? modelPath = section?.OptionalString("model_path");
        var extraction = new ExtractionSettings(
            section?.String("model", "facebook/dinov3-vitl16-pretrain-lvd1689m") ?? "facebook/dinov3-vitl16-pretrain-lvd1689m",
            section?.Choice("device", "auto", "auto", "cpu", "cuda") ?? "auto",
            section?.Int("batch_size", 32, 1) ?? 32,
            modelPath is null ? null : Path.GetFullPath(modelPath, root),
            section?.OptionalString("model_sha256"),
            section?.Int("input_size", 224, 16) ?? 224,
            section?.Choice("layout", "reference", "reference", "variant") == "variant");
        section?.RejectUnknownKeys();
        return extraction;
    }

    private static FetchSettings ReadFetch(YamlSection? section)
    {
        var fetch = new FetchSettings(
            section?.Choice("source", "local", "local", "s3") ?? "local",
            section?.Choice("backend", "auto", "auto", "awscli", "rclone", "sdk") ?? "auto",
            section?.Choice("on_existing_plate", "ask", "ask", "skip", "redownload") ?? "ask",
            section?.Bool("aws_no_sign_request", true) ?? true,
            section?.String("rclone_remote", ":s3,provider=AWS,region=us-east-1,no_check_bucket=true:") ?? string.Empty,
            section?.OptionalString("endpoint_url"),
            section?.String("region", "us-east-1") ?? "us-east-1",
            section?.OptionalString("profile"),
            section?.Choice("channels", "fluorescence", "fluorescence", "all") == "all",
            section?.Int("parallelism", 16, 1) ?? 16,
            section?.Bool("delete_removed", false) ?? false,
            section?.Bool("keep_raw", true) ?? true);
        section?.RejectUnknownKeys();
        if (!fetch.KeepRaw && fetch.Source != "s3")
        {
            throw section!.ErrorAt("keep_raw", $"{section.Qualified("keep_raw")} is false but {section.Qualified("source")} is {fetch.Source}: only images fetched from S3 can be kept out of the local folder");
        }

        return fetch;
    }

    private static TensorSettings ReadTensors(YamlSection? section)
    {
        var tensors = new TensorSettings(section?.Int("size", 384, 1) ?? 384);
        section?.RejectUnknownKeys();
        return tensors;
    }

    private static BuildSettings ReadBuild(YamlSection? section, string root)
    {
        int parallelism = section?.Int("parallelism", 0, 0) ?? 0;
        var build = new BuildSettings(
            parallelism == 0 ? Environment.ProcessorCount : parallelism,
            Path.GetFullPath(section?.String("lock", DefaultLockPath) ?? DefaultLockPath, root),
            section?.Choice("incomplete_sites", "warn", "warn", "error") == "error",
            ReadManifestMode(section));
        section?.RejectUnknownKeys();
        return build;
    }

    private static string ReadStatePath(YamlSection? local, string root) => Path.GetFullPath(local?.String("state", DefaultStatePath) ?? DefaultStatePath, root);

    private static ManifestMode ReadManifestMode(YamlSection? build) =>
        build?.Choice("manifests", "commit", "commit", "cache") == "cache" ? ManifestMode.Cache : ManifestMode.Commit;

    /// <summary>Manifests kept in the cache need one: without it they would exist on one machine only.</summary>
    private static void RequireCacheForManifests(YamlSection? build, ManifestMode manifests, CacheSettings cache)
    {
        if (manifests == ManifestMode.Cache && cache.Mode == CacheMode.Off)
        {
            throw build!.ErrorAt("manifests", $"{build.Qualified("manifests")} is cache, but the shared cache is off: set cpjump.cache.url and cpjump.cache.mode (read or read-write), or keep the manifests committed (commit)");
        }
    }

    private static SplitSettings ReadSplits(YamlSection? section)
    {
        string[] known = ["pert_type", "cpjump1_official_representation", "cpjump1_official_gene_compound", "cellclip_cpjump_style"];
        IReadOnlyList<string> strategies = section?.ChoiceList("strategies", known) ?? known;

        var splits = new SplitSettings(
            strategies,
            section?.Choice("default", "cpjump1_official_representation", known) ?? "cpjump1_official_representation",
            section?.Double("val_fraction", 0.1) ?? 0.1,
            section?.Int("seed", 42, 0) ?? 42,
            section?.Choice("missing_context", "fail", "fail", "skip") == "skip");
        section?.RejectUnknownKeys();
        return splits;
    }

    private static CacheSettings ReadCache(YamlSection? section, string root)
    {
        if (section is null)
        {
            return CacheSettings.Off;
        }

        CacheMode mode = section.Choice("mode", "off", "off", "read", "read-write") switch
        {
            "read" => CacheMode.Read,
            "read-write" => CacheMode.ReadWrite,
            _ => CacheMode.Off,
        };
        string? url = section.OptionalString("url");
        bool required = section.Bool("required", false);
        section.RejectUnknownKeys();
        if (url is null)
        {
            return mode == CacheMode.Off && !required
                ? CacheSettings.Off
                : throw section.ErrorAt("url", $"{section.Qualified("url")} is required when the cache is {(mode == CacheMode.Off ? "required" : "on")}");
        }

        if (required && mode == CacheMode.Off)
        {
            throw section.ErrorAt("required", $"{section.Qualified("required")} is true but {section.Qualified("mode")} is off");
        }

        if (url.StartsWith(S3Url.Scheme, StringComparison.Ordinal))
        {
            return S3Url.TryParse(url, out _)
                ? new CacheSettings(url, mode, required)
                : throw section.ErrorAt("url", $"{section.Qualified("url")}: expected s3://bucket/prefix, found '{url}'");
        }

        if (url.Contains("://", StringComparison.Ordinal))
        {
            throw section.ErrorAt("url", $"{section.Qualified("url")}: expected s3://bucket/prefix or a folder, found '{url}'");
        }

        return new CacheSettings(Path.GetFullPath(url, root), mode, required);
    }

    private static SampleSettings? ReadSample(YamlSection? section)
    {
        if (section is null)
        {
            return null;
        }

        var sample = new SampleSettings(
            section.Int("image_size", 256, 16),
            section.StringList("wells", ["A01", "A02", "B01"]),
            section.Int("sites", 2, 1),
            section.Int("seed", 1, 0),
            section.StringList("incomplete_sites", []));
        section.RejectUnknownKeys();
        return sample;
    }
}
