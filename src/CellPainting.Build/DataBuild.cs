using System.Runtime.ExceptionServices;
using CellPainting.Engine;
using CellPainting.Engine.Caching;
using CellPainting.Engine.Execution;
using CellPainting.Engine.IO;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Sharding;
using CellPainting.Stages.Caching;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Download;
using CellPainting.Stages.Features;
using CellPainting.Stages.Layouts;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Sample;
using CellPainting.Stages.Sites;
using CellPainting.Stages.Splits;
using CellPainting.Stages.Tensors;

namespace CellPainting.Build;

/// <summary>
/// One build session on one data root, as the Cake targets see it: loads the config, holds the run lock, runs each
/// target's stage through the engine, prints its summary and records it in the lock. Knows no Cake.
/// </summary>
public sealed class DataBuild : IDisposable
{
    private readonly BuildOptions options;
    private readonly SessionLocks locks;
    private readonly Workspace workspace;
    private readonly SiteCatalog catalog;
    private readonly TextWriter output;
    private readonly List<string> deferred = [];
    private readonly HashSet<string> failedStages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StageReport> reported = new(StringComparer.Ordinal);
    private readonly ItemCache? cache;
    private readonly ManifestStore manifests;
    private readonly ShardPartition? pinnedPartition;
    private readonly StagedShardLock? shardLock;
    private readonly RemoteDataset? remote;

    private DataBuild(BuildOptions options, BuildConfig config, ICacheStore? cacheStore, TextWriter output)
    {
        this.options = options;
        this.output = output;
        cache = cacheStore is null ? null : new ItemCache(cacheStore, config.Cache.Mode);
        // The lock's manifests kept out of git share the items' cache store; its copies live in the data root's own state.
        manifests = new ManifestStore(Workspace.ManifestFolderFor(config.Local.State), cacheStore, config.Cache.Mode);
        Config = config;
        // A shard keeps its own state (stat cache, build logs, run lock): shards of one data root run at once.
        string state = options.Shard is null ? config.Local.State : Path.Combine(config.Local.State, "shards", options.Shard.Name);
        Directory.CreateDirectory(state);
        locks = SessionLocks.Take(config, state, options, output);
        try
        {
            workspace = new Workspace(state, config.Build.Parallelism);
            if (options.Shard is null)
            {
                Lock = new LockStore(config.Build.LockPath, manifests, config.Build.Manifests, new RecordedManifests(Workspace.RecordedManifestsFolderFor(state)));
            }
            else
            {
                pinnedPartition = options.ShardPlanPath is null ? null : ShardPlanFile.Read(Path.GetFullPath(options.ShardPlanPath, options.Root), options.Shard.Count);
                // Shard locks keep their manifests in their own .d folder whatever build.manifests says: the merge reads
                // them from there; the merged lock follows build.manifests.
                ShardLockFolder shardLocks = ShardLocks(config, options.Run);
                shardLock = options.Explain ? null : shardLocks.Begin(options.Shard);
                Lock = shardLock?.Store ?? new LockStore(shardLocks.LockPathOf(options.Shard));
            }

            // One listing of the bucket serves Download and the site stages; images need not be here to be inputs.
            remote = config.Fetch.Source == "s3" ? new RemoteDataset(config, units => new DownloadLock(config, Lock).PreviousRecords(units)) : null;
            catalog = new SiteCatalog(config, remote);
        }
        catch
        {
            locks.Dispose();
            throw;
        }
    }

    public BuildConfig Config { get; }

    public LockStore Lock { get; }

    /// <summary>True when this build writes to a terminal a person watches: progress is then drawn live.</summary>
    private bool Interactive => ProgressDisplay.IsInteractive(output);

    /// <summary>The shard locks of run <paramref name="run"/>: <c>&lt;lock dir&gt;/shards/&lt;run&gt;/shard-K-of-N/</c>, beside the configured lock.</summary>
    public static ShardLockFolder ShardLocks(BuildConfig config, string run)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Length == 0 || run.Any(character => !char.IsAsciiLetterOrDigit(character) && character is not ('-' or '_' or '.')) || run.StartsWith('.'))
        {
            throw new ShardSpecException($"--run: expected a name of letters, digits, '-', '_' and '.', found '{run}'.");
        }

        return new ShardLockFolder(Path.Combine(Path.GetDirectoryName(config.Build.LockPath)!, "shards", run), Path.GetFileName(config.Build.LockPath));
    }

    public static DataBuild Open(BuildOptions options, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        BuildConfig config = ConfigLoader.Load(options.ConfigPath, options.Root);
        ICacheStore? cache = SharedCache.OpenStore(config.Cache, config.Fetch, config.Build.Parallelism);
        try
        {
            if (cache is not null && config.Cache.Required)
            {
                cache.Probe();
            }

            return new DataBuild(options, config, cache, output ?? Console.Out);
        }
        catch (CacheUnavailableException exception)
        {
            (cache as IDisposable)?.Dispose();
            throw new BuildFailedException($"cache {cache!.Location} is unreachable and cpjump.cache.required is true in {config.SourceFile}: {exception.Message}; nothing was built.");
        }
        catch
        {
            (cache as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>Synthesises the embedded sample's missing files; configs without a sample section have nothing to do.</summary>
    public void Sample()
    {
        if (Config.Sample is null)
        {
            output.WriteLine($"sample: {Config.SourceFile} has no sample section; nothing to synthesise");
            return;
        }

        int written = new SampleDataset(Config).EnsureWritten();
        output.WriteLine(written == 0 ? "sample: all files present" : $"sample: wrote {written} files");
    }

    /// <summary>Syncs raw images and metadata from S3 (or, with --explain, lists what a sync would fetch); configs whose source is local have nothing to fetch.</summary>
    public void Download()
    {
        if (Config.Fetch.Source != "s3")
        {
            output.WriteLine($"download: {Config.SourceFile} reads local files (fetch.source: {Config.Fetch.Source}); nothing to fetch");
            return;
        }

        RequireReadableLock();
        ITransferDisplay display = Interactive ? new SpectreTransferDisplay("download") : new PlainTransferDisplay(output, "download", TimeProvider.System);
        PrintingCacheNotes(() => new DownloadRunner(remote!, new DownloadLock(Config, Lock), workspace.StatCache, display, output).Run(options.Explain, ShardPlates()));
    }

    public StageReport Tensors() => Run(new TensorStage(Config, catalog));

    /// <summary>Features for stale sites; the model itself is loaded only when a site is stale.</summary>
    public FeatureRun Features()
    {
        using FeatureStage stage = OpenFeatureStage();
        try
        {
            return new FeatureRun(Run(stage), stage.ModelLoaded, stage.Time);
        }
        finally
        {
            PrintNotes(stage);
        }
    }

    /// <summary>
    /// Tensors and Features in one pass over the sites: a site stale in both has its TIFFs decoded once, for both.
    /// Each target keeps its own summary, build log and lock section, exactly as when run alone. A model that cannot
    /// be used fails the features alone: the tensors need no model, so they are built and recorded first.
    /// </summary>
    public SiteRun TensorsAndFeatures()
    {
        var tensors = new TensorStage(Config, catalog);
        FeatureStage opened;
        try
        {
            opened = OpenFeatureStage();
        }
        catch (ConfigException modelProblem)
        {
            string tensorsFailed = string.Empty;
            try
            {
                Run(tensors);
            }
            catch (BuildFailedException failure)
            {
                tensorsFailed = " " + failure.Message;
            }

            throw new BuildFailedException($"features: not built: {modelProblem.Message}{tensorsFailed}");
        }

        using FeatureStage features = opened;
        try
        {
            IReadOnlyList<StageReport> reports = Run([tensors, features]);
            return new SiteRun(reports[0], new FeatureRun(reports[1], features.ModelLoaded, features.Time), tensors.Load.Decoded + features.Time.TiffsDecoded);
        }
        finally
        {
            PrintNotes(features);
        }
    }

    public StageReport Metadata()
    {
        RequireWholeDataset("Metadata");
        locks.TakeOutputs([(Path.GetDirectoryName(MetadataStage.CachePathFor(Config))!, Config.Batch)]);
        var stage = new MetadataStage(Config);
        return Run(stage, () => stage.Warnings);
    }

    /// <summary>The split files; not run when the metadata cache it reads failed to build in this session.</summary>
    public StageReport Splits()
    {
        RequireWholeDataset("Splits");
        RequireBuilt("metadata", "splits");
        locks.TakeOutputs([(Config.Local.Splits, "splits")]);
        return Run(new SplitsStage(Config, catalog));
    }

    /// <summary>
    /// Per plate, a well index next to its tensors and next to its features (in the configured features variant's
    /// folder with the variant layout); run after those and the metadata.
    /// </summary>
    public StageReport WellIndex()
    {
        RequireWholeDataset("WellIndex");
        RequireBuilt("metadata", "well-index");
        (string Name, string Directory) features = ("features", Config.Local.Features);
        if (Config.Extraction.VariantLayout)
        {
            using FeatureStage featureStage = OpenFeatureStage();
            features = (featureStage.Name, featureStage.OutputDirectory);
        }

        var stage = new WellIndexStage(Config, features);
        return Run(stage, () => stage.Warnings);
    }

    /// <summary>
    /// Gallery-style profiles of the configured features (per plate, site and well level), then their manifest
    /// <c>profile_index.json</c> from the lock; <paramref name="recipeCommit"/> (with <c>layout.gallery.repository</c>)
    /// fills its permalinks.
    /// </summary>
    public StageReport Profiles(string? recipeCommit = null)
    {
        string directory;
        string variant;
        using (FeatureStage features = OpenFeatureStage())
        {
            (directory, variant) = (features.OutputDirectory, features.VariantName);
        }

        var stage = new ProfilesStage(Config, directory, variant);
        try
        {
            return Run(stage);
        }
        finally
        {
            // From the lock, so also after failed plates: the index lists what the lock vouches for.
            if (!options.Explain)
            {
                WriteProfileIndex(stage, recipeCommit);
            }
        }
    }

    /// <summary>spora_io standardisation statistics of the tensors: per site for the <c>_image</c> specs, per plate for the others.</summary>
    public StageReport Standardization() => Run(new StandardizationStage(Config));

    /// <summary>spora_io fixed-grid tile coordinates and per-tile channel means of the tensors, per plate.</summary>
    public StageReport Tiling() => Run(new TilingStage(Config));

    /// <summary>Re-hashes every output against the lock; with a sample, also rebuilds that many items per target in scratch.</summary>
    public void Verify(int sample = 0, int? seed = null)
    {
        RequireWholeDataset("Verify");
        new VerifyRunner(Config, catalog, workspace, Lock, output).Run(sample, seed);
    }

    /// <summary>Lists outputs no site of the current plan produces, and leftover temporary files; deletes them with <paramref name="remove"/>.</summary>
    public void Clean(bool remove = false)
    {
        RequireWholeDataset("Clean");
        RequireReadableLock();
        new CleanRunner(Config, catalog, workspace.StatCache, Lock, options.Root, output).Run(remove);
    }

    /// <summary>Rewrites the lock from the outputs and the local state, rebuilding nothing; lists the items it cannot vouch for.</summary>
    public void LockRegenerate()
    {
        RequireWholeDataset("LockRegenerate");
        PrintingCacheNotes(() => new LockRegenerator(Config, catalog, workspace, Lock, output).Run());
    }

    /// <summary>Runs a stage whose rebuilt items may warn, and prints the warnings after its summary, failed or not.</summary>
    private StageReport Run(IStage stage, Func<IReadOnlyList<string>> warnings)
    {
        try
        {
            return Run(stage);
        }
        finally
        {
            foreach (string warning in warnings())
            {
                output.WriteLine($"  warning: {warning}");
            }
        }
    }

    /// <summary>
    /// LockMerge: shard locks into this build's lock, under the run lock so no build writes it meanwhile: the lock
    /// files <paramref name="sources"/>, and every shard lock of the runs <paramref name="runs"/> (all N must be there).
    /// </summary>
    public IReadOnlyList<MergedTarget> MergeLocks(IEnumerable<string> sources, IEnumerable<string>? runs = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        RequireWholeDataset("LockMerge");
        IReadOnlyList<MergedTarget> merged = [];
        PrintingCacheNotes(() => merged = LockReview.Merge(Lock, options.Root, sources.Concat((runs ?? []).SelectMany(run => ShardLocks(Config, run).CompleteSet())), output));
        return merged;
    }

    private StageReport Run(IStage stage) => Run([stage])[0];

    /// <summary>Runs stages together, prints each one's summary and records it in the lock; then fails if any item failed.</summary>
    private IReadOnlyList<StageReport> Run(IReadOnlyList<IStage> stages)
    {
        if (options.Shard is not null)
        {
            stages = stages.Select(stage => (IStage)ShardedStage.Of(stage, options.Shard, pinnedPartition)).ToArray();
        }

        RequireReadableLock();
        IReadOnlyList<StageReport> reports = ProgressDisplay.Run(output, observer => new StageRunner(workspace, observer, cache).RunTogether(stages, options.Explain));
        foreach ((IStage stage, StageReport report) in stages.Zip(reports))
        {
            reported[stage.Name] = report;
            ReportPrinter.Print(report, output);
            if (!report.DryRun)
            {
                Lock.Record(stage, report.CurrentRecords, report.UnlistedGroups);
            }
        }

        // Images fetched into memory taught their digests: the download section records them for the next run and machine.
        if (remote?.TakeLearned() is { Count: > 0 } learned)
        {
            new DownloadLock(Config, Lock).Update(learned);
        }

        PrintCacheNotes();

        string[] failed = reports.Where(report => !report.Succeeded).Select(report => $"{report.Stage}: {report.Count(OutcomeKind.Failed)} item(s) failed").ToArray();
        if (failed.Length > 0)
        {
            failedStages.UnionWith(reports.Where(report => !report.Succeeded).Select(report => report.Stage));
            throw new BuildFailedException($"{string.Join("; ", failed)} (listed above); its other items are built and recorded.");
        }

        return reports;
    }

    /// <summary>Runs a target that records in the lock without running stages, then prints what the cache had to say, failed or not.</summary>
    private void PrintingCacheNotes(Action target)
    {
        try
        {
            target();
        }
        finally
        {
            PrintCacheNotes();
        }
    }

    /// <summary>What the cache had to say about items and about the lock's manifests since the last call.</summary>
    private void PrintCacheNotes()
    {
        foreach (string note in (cache?.TakeNotes() ?? []).Concat(manifests.TakeNotes()))
        {
            output.WriteLine($"  {note}");
        }
    }

    private void WriteProfileIndex(ProfilesStage stage, string? recipeCommit)
    {
        string configPath = Path.GetRelativePath(options.Root, Path.GetFullPath(options.ConfigPath, options.Root)).Replace('\\', '/');
        byte[] index = ProfileIndexJson.Serialize(ProfileIndexJson.Entries(Lock, stage, Config.Layout.Gallery.Repository, recipeCommit, configPath));
        string path = Path.Combine(stage.ProfilesRoot, ProfileIndexJson.FileName);
        if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(index))
        {
            Directory.CreateDirectory(stage.ProfilesRoot);
            AtomicFile.WriteAllBytes(path, index);
        }

        output.WriteLine($"  manifest: {path}");
    }

    private FeatureStage OpenFeatureStage() => new(Config, catalog, FeatureModelDigest.Of(Config, workspace.StatCache));

    /// <summary>What the Features stage has to tell (provider, fallback) and where its time went, failed or not.</summary>
    private void PrintNotes(FeatureStage stage)
    {
        foreach (string message in stage.Messages)
        {
            output.WriteLine($"  {message}");
        }

        if (stage.ModelLoaded)
        {
            output.WriteLine($"  time: {stage.Time.Describe()}");
            return;
        }

        StageReport? report = reported.GetValueOrDefault(stage.Name);
        output.WriteLine(report switch
        {
            null => "  the model was not loaded",
            { DryRun: true } when report.Count(OutcomeKind.WouldBuild) > 0 => "  the model was not loaded: --explain builds nothing",
            _ when report.Count(OutcomeKind.Failed) > 0 => "  the model was not loaded: no stale site reached it (they failed before)",
            _ => "  the model was not loaded: no site needed it",
        });
    }

    /// <summary>
    /// A target ended with failed items: remembered, so the targets that do not need its outputs still run, and
    /// thrown again, with every other, by <see cref="Finish"/>. Any other error stops the run at once.
    /// </summary>
    public void Defer(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is not BuildFailedException failure)
        {
            ExceptionDispatchInfo.Throw(exception);
            return;
        }

        deferred.Add(failure.Message);
        output.WriteLine($"  {failure.Message} The targets that do not need it go on.");
    }

    /// <summary>Ends the session: releases the run lock, then fails with what failed and what did not run because of it.</summary>
    public void Finish()
    {
        Dispose();
        if (deferred.Count > 0)
        {
            throw new BuildFailedException($"the build failed. {string.Join(" ", deferred)} Every target not named here ran to the end.");
        }
    }

    /// <summary>A lock that cannot be read (conflict markers) stops a target before it builds or removes anything, not after.</summary>
    private void RequireReadableLock() => Lock.Load();

    /// <summary>Refuses to run <paramref name="target"/> when the stage whose outputs it reads failed in this session.</summary>
    private void RequireBuilt(string stage, string target)
    {
        if (failedStages.Contains(stage))
        {
            throw new BuildFailedException($"{target}: not run: it reads the {stage} target's outputs, which failed to build above.");
        }
    }

    /// <summary>
    /// A shard's plates for Download: those with a slice in the pinned plan, or else in the partition of the site plan.
    /// Without a pinned plan every plate must have its images already (shared storage), or shards would disagree.
    /// </summary>
    private IReadOnlyList<PlateDirectory> ShardPlates()
    {
        if (options.Shard is null)
        {
            return Config.Plates;
        }

        ShardPartition partition = pinnedPartition ?? PlateSizes.PartitionOfPlan(new TensorStage(Config, catalog).Discover(), options.Shard.Count);
        var mine = partition.SlicesOf(options.Shard.Index).Select(slice => slice.Group).ToHashSet(StringComparer.Ordinal);
        return Config.Plates.Where(plate => mine.Contains(plate.Barcode)).ToArray();
    }

    private void RequireWholeDataset(string target)
    {
        if (options.Shard is not null)
        {
            throw new ShardSpecException($"{target} is not a per-item target: run it once, without --shard, after LockMerge (--shard is for Download, Tensors, Features and Sites).");
        }
    }

    /// <summary>A shard publishes its lock when its task ends, failed or not (what it built is recorded, as in any build); a killed task publishes nothing.</summary>
    public void Dispose()
    {
        try
        {
            shardLock?.Publish();
        }
        finally
        {
            locks.Dispose();
            cache?.Dispose();
            remote?.Dispose();
        }
    }
}
