using CellPainting.Engine.State;
using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>
/// Carries out a sync plan: fetches what it lists, hands the SHA-256 of every fetched file to the stat cache, records
/// the result in the lock and prints a summary per unit. Any failure fails the target after everything else is recorded.
/// </summary>
internal sealed class DownloadExecution : IDownloadStrategy
{
    private readonly StatCache statCache;
    private readonly DownloadLock downloadLock;
    private readonly ITransferDisplay display;
    private readonly TextWriter output;

    public DownloadExecution(StatCache statCache, DownloadLock downloadLock, ITransferDisplay display, TextWriter output)
    {
        this.statCache = statCache;
        this.downloadLock = downloadLock;
        this.display = display;
        this.output = output;
    }

    public void Apply(S3Synchronizer synchronizer, SyncPlan plan)
    {
        SyncReport report = display.Run(progress => synchronizer.ExecuteAsync(plan, progress).GetAwaiter().GetResult());
        foreach (SyncedObject synced in report.Units.SelectMany(unit => unit.Objects).Where(synced => synced.Downloaded))
        {
            // The file was hashed while streaming: later stages must not read it again to learn its hash.
            if (FileStatReader.TryRead(synced.LocalPath) is FileStamp stamp && stamp.Size == synced.Record.Size && synced.Record.Sha256 is string sha256)
            {
                statCache.Record(synced.LocalPath, stamp, sha256);
            }
        }

        statCache.Save();
        downloadLock.Record(report);
        foreach (SyncUnitReport unit in report.Units)
        {
            string listed = $"download: {unit.Name}: {unit.ObjectCount} objects ({ProgressText.Megabytes(unit.TotalBytes)} MB)";
            output.WriteLine(unit.Fetch == FetchPolicy.None
                ? $"{listed} listed and recorded; not kept here (fetch.keep_raw: false): the builds that need them fetch them"
                : $"{listed}, fetched {unit.DownloadedCount} ({ProgressText.Megabytes(unit.DownloadedBytes)} MB){DownloadExplanation.OnDemand(unit.OnDemand)}");
            foreach (RemovedObject removed in unit.Removed)
            {
                output.WriteLine($"  removed remotely: {removed.RelativeKey}{(removed.LocalCopyDeleted ? " (local copy deleted)" : " (local copy kept)")}");
            }
        }

        DownloadRunner.FailOnProblems(report.TransientFaults, report.Failures, "everything else is synced and recorded", output);
    }
}
