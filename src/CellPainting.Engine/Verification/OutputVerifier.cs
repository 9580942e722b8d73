using System.Collections.Concurrent;
using System.Diagnostics;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Verification;

/// <summary>
/// Checks a target's outputs on disk against the lock: every recorded output of every planned item is read in full
/// and hashed (the stat cache is not trusted: bit rot keeps the stamp), files in parallel. Also compares the plan
/// with the lock both ways. The true hash of an output that differs from the lock goes to the stat cache, so the next
/// build checks that output in full and sees what rotted.
/// </summary>
public sealed class OutputVerifier
{
    private readonly StatCache statCache;
    private readonly int parallelism;
    private readonly IBuildObserver observer;

    public OutputVerifier(StatCache statCache, int parallelism, IBuildObserver observer)
    {
        ArgumentNullException.ThrowIfNull(statCache);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelism);
        ArgumentNullException.ThrowIfNull(observer);
        this.statCache = statCache;
        this.parallelism = parallelism;
        this.observer = observer;
    }

    public TargetVerification Verify(LockedTarget locked, IReadOnlyList<WorkItem> planned)
    {
        ArgumentNullException.ThrowIfNull(locked);
        ArgumentNullException.ThrowIfNull(planned);
        var clock = Stopwatch.StartNew();
        string label = "verify " + locked.Target;
        var findings = new ConcurrentBag<VerificationFinding>(locked.Findings);
        var plannedIds = planned.Select(item => item.Id).ToHashSet(StringComparer.Ordinal);
        foreach (string itemId in locked.Items.Keys.Where(itemId => !plannedIds.Contains(itemId)))
        {
            findings.Add(new VerificationFinding(itemId, FindingKind.NotInPlan, "recorded in the lock, but the current plan has no such item"));
        }

        observer.ItemsListed(label, planned.Count);
        var outcomes = new ItemOutcome[planned.Count];
        int itemsChecked = 0;
        int filesHashed = 0;
        long bytesHashed = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
        Parallel.For(0, planned.Count, options, index =>
        {
            WorkItem item = planned[index];
            var problems = new List<VerificationFinding>();
            if (!locked.Items.TryGetValue(item.Id, out ManifestLine? line))
            {
                problems.Add(new VerificationFinding(item.Id, FindingKind.NotInLock, "in the current plan, but the lock does not record it"));
            }
            else
            {
                Interlocked.Increment(ref itemsChecked);
                foreach (ItemOutput output in item.Outputs)
                {
                    string? recorded = line.Outputs.FirstOrDefault(candidate => candidate.Name == output.Name).Hash;
                    if (recorded is null)
                    {
                        problems.Add(new VerificationFinding(item.Id, FindingKind.NotInLock, $"output {output.Name} is not recorded in the lock"));
                        continue;
                    }

                    (VerificationFinding? problem, long bytes) = Check(item.Id, output, recorded);
                    if (bytes >= 0)
                    {
                        Interlocked.Increment(ref filesHashed);
                        Interlocked.Add(ref bytesHashed, bytes);
                    }

                    if (problem is not null)
                    {
                        problems.Add(problem);
                    }
                }
            }

            foreach (VerificationFinding problem in problems)
            {
                findings.Add(problem);
            }

            outcomes[index] = problems.Count == 0
                ? new ItemOutcome(item.Id, item.Group, OutcomeKind.UpToDate, Staleness.UpToDate, string.Empty)
                : ItemOutcome.Failure(item.Id, item.Group, problems[0].Detail);
            observer.ItemFinished(label, outcomes[index]);
        });

        statCache.Save();
        VerificationFinding[] sorted = findings
            .OrderBy(finding => finding.Subject, StringComparer.Ordinal)
            .ThenBy(finding => finding.Kind)
            .ThenBy(finding => finding.Detail, StringComparer.Ordinal)
            .ToArray();
        observer.StageFinished(new StageReport(label, dryRun: true, outcomes.OrderBy(outcome => outcome.ItemId, StringComparer.Ordinal).ToArray(), [], clock.Elapsed));
        return new TargetVerification(locked.Target, itemsChecked, filesHashed, bytesHashed, sorted, clock.Elapsed);
    }

    /// <summary>Hashes one output in full; returns the problem (if any) and the bytes read (-1 when nothing was read).</summary>
    private (VerificationFinding? Problem, long Bytes) Check(string itemId, ItemOutput output, string recorded)
    {
        FileStamp? before = FileStatReader.TryRead(output.Path);
        if (before is null)
        {
            return (new VerificationFinding(itemId, FindingKind.Missing, output.Path), -1);
        }

        string actual;
        try
        {
            actual = ContentHash.OfFile(output.Path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (new VerificationFinding(itemId, FindingKind.Unreadable, $"{output.Path}: {exception.Message}"), -1);
        }

        // An output that matches needs no entry: its build record vouches for it by stamp.
        if (actual != recorded && FileStatReader.TryRead(output.Path) == before)
        {
            statCache.Record(output.Path, before.Value, actual);
        }

        return actual == recorded
            ? (null, before.Value.Size)
            : (new VerificationFinding(itemId, FindingKind.Modified, $"{output.Path}: sha256 {HashText.Short(actual)}, the lock records {HashText.Short(recorded)}"), before.Value.Size);
    }
}
