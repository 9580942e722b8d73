using CellPainting.Engine.Caching;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;

namespace CellPainting.Engine.Execution;

/// <summary>
/// Builds nothing: reports each stale item and why it would be built (ninja's -d explain, Cake's dry run), and with a
/// shared cache whether it would be fetched instead (a GET of its entry; no blob is read, nothing is written).
/// </summary>
public sealed class ExplainStrategy : IExecutionStrategy
{
    private readonly ItemCache? cache;

    public ExplainStrategy(ItemCache? cache = null)
    {
        this.cache = cache;
    }

    public bool IsDryRun => true;

    public void Begin(IReadOnlyList<WorkItem> items)
    {
        // Nothing to prepare: explaining changes nothing on disk, not even a killed run's leftovers.
    }

    public void Confirm(WorkItem item, ResolvedInputs inputs, BuildRecord previous)
    {
        // Nothing to record: explaining writes no build log.
    }

    public IReadOnlyList<ItemOutcome> Complete() => [];

    public ItemOutcome? Execute(StaleItem stale, ItemScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(stale);
        // An item with inputs not fetched yet has no fingerprint to look up: explaining fetches nothing, so it would be built.
        OutcomeKind kind = cache is not null && stale.Fingerprint is not null && cache.Has(stale) ? OutcomeKind.WouldFetch : OutcomeKind.WouldBuild;
        return new ItemOutcome(stale.Item.Id, stale.Item.Group, kind, stale.Staleness, string.Empty);
    }
}
