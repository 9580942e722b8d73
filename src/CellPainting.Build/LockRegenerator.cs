using CellPainting.Engine;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Planning;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;

namespace CellPainting.Build;

/// <summary>
/// The LockRegenerate target: rewrites the lock and its manifests from the outputs on disk and the local state,
/// computing no tensor or feature. An item is vouched for when the dirty check finds it up to date: its build log
/// record has the fingerprint of its inputs now, and its outputs still hash to what that record says. Every other
/// item is listed with the reason and left out, as a build leaves out items it could not build.
/// </summary>
internal sealed class LockRegenerator(BuildConfig config, SiteCatalog catalog, Workspace workspace, LockStore lockStore, TextWriter output)
{
    public void Run()
    {
        string lockName = Path.GetFileName(lockStore.LockPath);
        try
        {
            lockStore.Load();
        }
        catch (LockFileException exception)
        {
            // An unreadable lock (conflict markers, a broken edit) is replaced whole; a readable one keeps the sections not rebuilt here.
            output.WriteLine($"lock: the current lock cannot be read ({exception.Message}); writing a new one");
            File.Delete(lockStore.LockPath);
        }

        int refused = 0;
        using (var stages = new ItemStages(config, catalog, workspace.StatCache))
        {
            foreach (IStage stage in stages.All)
            {
                // Explaining is the dirty check without building: up-to-date items are exactly the ones it can vouch for.
                StageReport report = ProgressDisplay.Run(output, observer => new StageRunner(workspace, observer).Run(stage, dryRun: true));
                lockStore.Record(stage, report.CurrentRecords, report.UnlistedGroups);
                ItemOutcome[] unvouched = report.Outcomes.Where(outcome => outcome.Kind is OutcomeKind.WouldBuild or OutcomeKind.Failed).ToArray();
                output.WriteLine($"lock {stage.Name}: {report.CurrentRecords.Count} item(s) vouched for by the build log and the outputs on disk, {unvouched.Length} cannot be vouched for [{ProgressText.FormatDuration(report.Elapsed)}]");
                ReportPrinter.List(output, "CANNOT VOUCH", unvouched, outcome => outcome.ItemId, Why);
                refused += unvouched.Length;
            }
        }

        if (config.Fetch.Source == "s3" && !lockStore.Load().Targets.ContainsKey(DownloadLock.Target))
        {
            output.WriteLine($"lock: the download section needs the bucket's listing; run --target=Download to record it");
        }

        if (refused > 0)
        {
            throw new BuildFailedException($"lock: {refused} item(s) cannot be vouched for (listed above) and are left out of {lockName}; a build rebuilds and records them.");
        }

        output.WriteLine($"lock: {lockName} regenerated; nothing was rebuilt");
    }

    private static string Why(ItemOutcome outcome) => outcome switch
    {
        { Kind: OutcomeKind.Failed } => outcome.Error,
        { Staleness.Reason: StaleReason.New } => "the local state has no completed build of it",
        _ => $"{outcome.Staleness} since its last completed build",
    };
}
