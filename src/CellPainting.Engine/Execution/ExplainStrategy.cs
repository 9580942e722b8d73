using CellPainting.Engine.Items;

namespace CellPainting.Engine.Execution;

/// <summary>Builds nothing: reports each stale item and why it would be built (ninja's -d explain, Cake's dry run).</summary>
public sealed class ExplainStrategy : IExecutionStrategy
{
    public bool IsDryRun => true;

    public void Begin(IReadOnlyList<WorkItem> items)
    {
        // Nothing to prepare: explaining changes nothing on disk, not even a killed run's leftovers.
    }

    public IReadOnlyList<ItemOutcome> Complete() => [];

    public ItemOutcome? Execute(StaleItem stale, ItemScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(stale);
        return new ItemOutcome(stale.Item.Id, stale.Item.Group, OutcomeKind.WouldBuild, stale.Staleness, string.Empty);
    }
}
