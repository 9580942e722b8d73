using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>
/// The Download target's dry run: reports per unit what a sync would fetch (new and changed objects, bytes) and what
/// disappeared remotely, from the listing alone. It issues no GET and writes neither files nor the lock.
/// </summary>
internal sealed class DownloadExplanation : IDownloadStrategy
{
    private readonly bool deleteRemoved;
    private readonly TextWriter output;

    public DownloadExplanation(bool deleteRemoved, TextWriter output)
    {
        this.deleteRemoved = deleteRemoved;
        this.output = output;
    }

    public void Apply(S3Synchronizer synchronizer, SyncPlan plan)
    {
        foreach (UnitPlan unit in plan.Units)
        {
            output.WriteLine($"download: {unit.Unit.Name}: {Describe(unit)}");
            ReportPrinter.List(output, "would fetch", unit.Pending, item => item.RelativeKey, item => Reason(item.Reason));
            ReportPrinter.List(
                output,
                "removed remotely",
                unit.RemovedKeys,
                key => key[unit.Unit.RemotePrefix.Length..],
                _ => deleteRemoved ? "the local copy would be deleted" : "the local copy would be kept");
        }

        output.WriteLine($"download: would fetch {plan.PendingCount} object(s) ({ProgressText.Megabytes(plan.PendingBytes)} MB); --explain fetched and wrote nothing");
        DownloadRunner.FailOnProblems(plan.TransientFaults, plan.Failures, "the other units are listed above", output);
    }

    private static string Describe(UnitPlan unit)
    {
        if (!unit.ListingComplete)
        {
            return "the listing failed";
        }

        string listed = $"{unit.ObjectCount} objects ({ProgressText.Megabytes(unit.TotalBytes)} MB)";
        if (unit.Unit.Fetch == FetchPolicy.None)
        {
            return $"{listed}, listed; not kept here (fetch.keep_raw: false): the builds that need them fetch them";
        }

        string removed = (unit.RemovedKeys.Count > 0 ? $"; {unit.RemovedKeys.Count} removed remotely" : string.Empty) + OnDemand(unit.OnDemand);
        if (unit.Pending.Count == 0)
        {
            return $"{listed}, up to date{removed}";
        }

        string reasons = string.Join(", ", unit.Pending.GroupBy(item => item.Reason).OrderBy(group => group.Key).Select(group => $"{group.Count()} {Reason(group.Key)}"));
        return $"{listed}; would fetch {unit.Pending.Count} ({ProgressText.Megabytes(unit.Pending.Sum(item => item.Size))} MB): {reasons}{removed}";
    }

    /// <summary>"; 3 not here, known by their recorded digests: the builds that need them fetch them", or nothing.</summary>
    internal static string OnDemand(int count) =>
        count == 0 ? string.Empty : $"; {count} not here, known by their recorded digests: the builds that need them fetch them";

    private static string Reason(FetchReason reason) => reason switch
    {
        FetchReason.New => "new",
        FetchReason.Changed => "changed remotely",
        FetchReason.LocalCopyMissing => "local copy missing or of the wrong size",
        FetchReason.DigestUnknown => "listed before but never fetched",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown fetch reason."),
    };
}
