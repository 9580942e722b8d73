using CellPainting.Engine;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Locking;
using CellPainting.Engine.Sharding;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Features;
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
    private readonly RunLock runLock;
    private readonly Workspace workspace;
    private readonly SiteCatalog catalog;
    private readonly TextWriter output;
    private readonly ShardPartition? pinnedPartition;
    private readonly StagedShardLock? shardLock;

    private DataBuild(BuildOptions options, BuildConfig config, TextWriter output)
    {
        this.options = options;
        this.output = output;
        Config = config;
        // A shard keeps its own state (stat cache, build logs, run lock): shards of one data root run at once.
        string state = options.Shard is null ? config.Local.State : Path.Combine(config.Local.State, "shards", options.Shard.Name);
        Directory.CreateDirectory(state);
        runLock = RunLock.Acquire(Workspace.RunLockPathFor(state), $"build with {config.SourceFile}", options.WaitForLock);
        try
        {
            workspace = new Workspace(state, config.Build.Parallelism);
            catalog = new SiteCatalog(config);
            if (options.Shard is null)
            {
                Lock = new LockStore(config.Build.LockPath);
            }
            else
            {
                pinnedPartition = options.ShardPlanPath is null ? null : ShardPlanFile.Read(Path.GetFullPath(options.ShardPlanPath, options.Root), options.Shard.Count);
                ShardLockFolder shardLocks = ShardLocks(config, options.Run);
                shardLock = options.Explain ? null : shardLocks.Begin(options.Shard);
                Lock = shardLock?.Store ?? new LockStore(shardLocks.LockPathOf(options.Shard));
            }
        }
        catch
        {
            runLock.Dispose();
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
        return new DataBuild(options, config, output ?? Console.Out);
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

        ITransferDisplay display = Interactive ? new SpectreTransferDisplay("download") : new PlainTransferDisplay(output, "download", TimeProvider.System);
        new DownloadRunner(Config, Lock, workspace.StatCache, display, output).Run(options.Explain, ShardPlates());
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
    /// Each target keeps its own summary, build log and lock section, exactly as when run alone.
    /// </summary>
    public SiteRun TensorsAndFeatures()
    {
        var tensors = new TensorStage(Config, catalog);
        using FeatureStage features = OpenFeatureStage();
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
        var stage = new MetadataStage(Config);
        return Run(stage, () => stage.Warnings);
    }

    public StageReport Splits()
    {
        RequireWholeDataset("Splits");
        return Run(new SplitsStage(Config, catalog));
    }

    /// <summary>
    /// Per plate, a well index next to its tensors and next to its features (in the configured features variant's
    /// folder with the variant layout); run after those and the metadata.
    /// </summary>
    public StageReport WellIndex()
    {
        RequireWholeDataset("WellIndex");
        (string Name, string Directory) features = ("features", Config.Local.Features);
        if (Config.Extraction.VariantLayout)
        {
            using FeatureStage featureStage = OpenFeatureStage();
            features = (featureStage.Name, featureStage.OutputDirectory);
        }

        var stage = new WellIndexStage(Config, features);
        return Run(stage, () => stage.Warnings);
    }

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
        new CleanRunner(Config, catalog, workspace.StatCache, Lock, options.Root, output).Run(remove);
    }

    /// <summary>Rewrites the lock from the outputs and the local state, rebuilding nothing; lists the items it cannot vouch for.</summary>
    public void LockRegenerate()
    {
        RequireWholeDataset("LockRegenerate");
        new LockRegenerator(Config, catalog, workspace, Lock, output).Run();
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
        return LockReview.Merge(Lock, options.Root, sources.Concat((runs ?? []).SelectMany(run => ShardLocks(Config, run).CompleteSet())), output);
    }

    private StageReport Run(IStage stage) => Run([stage])[0];

    /// <summary>Runs stages together, prints each one's summary and records it in the lock; then fails if any item failed.</summary>
    private IReadOnlyList<StageReport> Run(IReadOnlyList<IStage> stages)
    {
        if (options.Shard is not null)
        {
            stages = stages.Select(stage => (IStage)ShardedStage.Of(stage, options.Shard, pinnedPartition)).ToArray();
        }

        IReadOnlyList<StageReport> reports = ProgressDisplay.Run(output, observer => new StageRunner(workspace, observer).RunTogether(stages, options.Explain));
        foreach ((IStage stage, StageReport report) in stages.Zip(reports))
        {
            ReportPrinter.Print(report, output);
            if (!report.DryRun)
            {
                Lock.Record(stage, report.CurrentRecords);
            }
        }

        string[] failed = reports.Where(report => !report.Succeeded).Select(report => $"{report.Stage}: {report.Count(OutcomeKind.Failed)} item(s) failed").ToArray();
        if (failed.Length > 0)
        {
            throw new BuildFailedException($"{string.Join("; ", failed)} (listed above); everything else is built and recorded.");
        }

        return reports;
    }

    private FeatureStage OpenFeatureStage() => new(Config, catalog, FeatureModelDigest.Of(Config, workspace.StatCache));

    /// <summary>What the Features stage has to tell (provider, fallback) and where its time went, failed or not.</summary>
    private void PrintNotes(FeatureStage stage)
    {
        foreach (string message in stage.Messages)
        {
            output.WriteLine($"  {message}");
        }

        output.WriteLine(stage.ModelLoaded ? $"  time: {stage.Time.Describe()}" : "  the model was not loaded: no site needed it");
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
            runLock.Dispose();
        }
    }
}
