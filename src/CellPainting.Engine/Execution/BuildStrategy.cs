using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Execution;

/// <summary>Builds each stale item, journalling its start and its completion so a killed run can resume.</summary>
public sealed class BuildStrategy : IExecutionStrategy
{
    private readonly BuildLog log;
    private readonly StatCache statCache;

    public BuildStrategy(BuildLog log, StatCache statCache)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(statCache);
        this.log = log;
        this.statCache = statCache;
    }

    public bool IsDryRun => false;

    public ItemOutcome Execute(StaleItem stale)
    {
        ArgumentNullException.ThrowIfNull(stale);
        log.Begin(stale.Item.Id);
        var context = new ItemBuildContext(stale.Item, stale.Inputs, statCache);
        stale.Stage.Build(stale.Item, context);
        log.Complete(new BuildRecord(
            stale.Item.Id,
            stale.Item.Group,
            stale.Fingerprint,
            stale.Stage.RecipeVersion,
            stale.Stage.Parameters.Digest,
            stale.Inputs.Hashes,
            context.WrittenOutputs()));
        return new ItemOutcome(stale.Item.Id, stale.Item.Group, OutcomeKind.Built, stale.Staleness, string.Empty);
    }
}
