using CellPainting.Engine;
using CellPainting.Engine.Caching;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Locking;
using CellPainting.Stages.Caching;
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
    private readonly ItemCache? cache;

    private DataBuild(BuildOptions options, BuildConfig config, ItemCache? cache, TextWriter output)
    {
        this.options = options;
        this.output = output;
        this.cache = cache;
        Config = config;
        Directory.CreateDirectory(config.Local.State);
        runLock = RunLock.Acquire(Workspace.RunLockPathFor(config.Local.State), $"build with {config.SourceFile}", options.WaitForLock);
        workspace = new Workspace(config.Local.State, config.Build.Parallelism);
        catalog = new SiteCatalog(config);
        Lock = new LockStore(config.Build.LockPath);
    }

    public BuildConfig Config { get; }

    public LockStore Lock { get; }

    /// <summary>True when this build writes to a terminal a person watches: progress is then drawn live.</summary>
    private bool Interactive => ProgressDisplay.IsInteractive(output);

    public static DataBuild Open(BuildOptions options, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        BuildConfig config = ConfigLoader.Load(options.ConfigPath, options.Root);
        ItemCache? cache = SharedCache.Open(config.Cache, config.Fetch, config.Build.Parallelism);
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
            cache!.Dispose();
            throw new BuildFailedException($"cache {cache.Location} is unreachable and cpjump.cache.required is true in {config.SourceFile}: {exception.Message}; nothing was built.");
        }
        catch
        {
            cache?.Dispose();
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

        ITransferDisplay display = Interactive ? new SpectreTransferDisplay("download") : new PlainTransferDisplay(output, "download", TimeProvider.System);
        new DownloadRunner(Config, Lock, workspace.StatCache, display, output).Run(options.Explain);
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
        var stage = new MetadataStage(Config);
        return Run(stage, () => stage.Warnings);
    }

    public StageReport Splits() => Run(new SplitsStage(Config, catalog));

    /// <summary>
    /// Per plate, a well index next to its tensors and next to its features (in the configured features variant's
    /// folder with the variant layout); run after those and the metadata.
    /// </summary>
    public StageReport WellIndex()
    {
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
    public void Verify(int sample = 0, int? seed = null) => new VerifyRunner(Config, catalog, workspace, Lock, output).Run(sample, seed);

    /// <summary>Lists outputs no site of the current plan produces, and leftover temporary files; deletes them with <paramref name="remove"/>.</summary>
    public void Clean(bool remove = false) => new CleanRunner(Config, catalog, workspace.StatCache, Lock, options.Root, output).Run(remove);

    /// <summary>Rewrites the lock from the outputs and the local state, rebuilding nothing; lists the items it cannot vouch for.</summary>
    public void LockRegenerate() => new LockRegenerator(Config, catalog, workspace, Lock, output).Run();

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

    /// <summary>LockMerge: shard locks into this build's lock, under the run lock so no build writes it meanwhile.</summary>
    public IReadOnlyList<MergedTarget> MergeLocks(IEnumerable<string> sources) => LockReview.Merge(Lock, options.Root, sources, output);

    private StageReport Run(IStage stage) => Run([stage])[0];

    /// <summary>Runs stages together, prints each one's summary and records it in the lock; then fails if any item failed.</summary>
    private IReadOnlyList<StageReport> Run(IReadOnlyList<IStage> stages)
    {
        IReadOnlyList<StageReport> reports = ProgressDisplay.Run(output, observer => new StageRunner(workspace, observer, cache).RunTogether(stages, options.Explain));
        foreach ((IStage stage, StageReport report) in stages.Zip(reports))
        {
            ReportPrinter.Print(report, output);
            if (!report.DryRun)
            {
                Lock.Record(stage, report.CurrentRecords);
            }
        }

        foreach (string note in cache?.TakeNotes() ?? [])
        {
            output.WriteLine($"  {note}");
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

    public void Dispose()
    {
        runLock.Dispose();
        cache?.Dispose();
    }
}
