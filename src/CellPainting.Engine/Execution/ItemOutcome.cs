using CellPainting.Engine.Planning;

namespace CellPainting.Engine.Execution;

/// <summary>What happened to one item in a run, and why; <paramref name="FetchedBytes"/> counts what a fetched item took from the cache.</summary>
public sealed record ItemOutcome(string ItemId, string Group, OutcomeKind Kind, Staleness Staleness, string Error, long FetchedBytes = 0)
{
    public static ItemOutcome Failure(string itemId, string group, string error) =>
        new(itemId, group, OutcomeKind.Failed, Staleness.UpToDate, error);

    public static ItemOutcome Skip(string itemId, string group, string why) =>
        new(itemId, group, OutcomeKind.Skipped, Staleness.UpToDate, why);
}
