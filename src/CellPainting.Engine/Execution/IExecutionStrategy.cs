namespace CellPainting.Engine.Execution;

/// <summary>What to do with a stale item: build it, or only say that it would be built (a dry run is a strategy).</summary>
public interface IExecutionStrategy
{
    /// <summary>True when the strategy changes nothing on disk, so the run must not touch the lock either.</summary>
    bool IsDryRun { get; }

    ItemOutcome Execute(StaleItem stale);
}
