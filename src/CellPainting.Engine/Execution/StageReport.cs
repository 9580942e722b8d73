using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;

namespace CellPainting.Engine.Execution;

/// <summary>The result of running one stage: every item's outcome, and the records of the items now up to date.</summary>
public sealed class StageReport
{
    public StageReport(string stage, bool dryRun, IReadOnlyList<ItemOutcome> outcomes, IReadOnlyList<BuildRecord> currentRecords, TimeSpan elapsed, IReadOnlyList<string>? unlistedGroups = null)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(currentRecords);
        Stage = stage;
        DryRun = dryRun;
        Outcomes = outcomes;
        CurrentRecords = currentRecords;
        Elapsed = elapsed;
        UnlistedGroups = unlistedGroups ?? [];
    }

    public string Stage { get; }

    public bool DryRun { get; }

    /// <summary>Sorted by item id.</summary>
    public IReadOnlyList<ItemOutcome> Outcomes { get; }

    /// <summary>Records of the items that are built and valid now, sorted by item id: what the lock describes.</summary>
    public IReadOnlyList<BuildRecord> CurrentRecords { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>Groups whose items could not be listed (<see cref="Items.ItemProblem.WholeGroup"/>), sorted: their lock entries stay as they were.</summary>
    public IReadOnlyList<string> UnlistedGroups { get; }

    public int Count(OutcomeKind kind) => Outcomes.Count(outcome => outcome.Kind == kind);

    /// <summary>Bytes the fetched items took from the shared cache.</summary>
    public long FetchedBytes => Outcomes.Sum(outcome => outcome.FetchedBytes);

    public IEnumerable<ItemOutcome> Failures => Outcomes.Where(outcome => outcome.Kind == OutcomeKind.Failed);

    public bool Succeeded => !Failures.Any();

    /// <summary>How many items were (or would be) built for each reason, in the reasons' declared order.</summary>
    public IReadOnlyList<(StaleReason Reason, int Count)> ReasonCounts =>
        Outcomes.Where(outcome => outcome.Kind is OutcomeKind.Built or OutcomeKind.WouldBuild)
            .GroupBy(outcome => outcome.Staleness.Reason)
            .OrderBy(group => group.Key)
            .Select(group => (group.Key, group.Count()))
            .ToArray();
}
