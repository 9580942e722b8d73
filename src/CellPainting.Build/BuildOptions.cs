using CellPainting.Engine.Sharding;

namespace CellPainting.Build;

/// <summary>
/// What the command line says: the repository root, the config, and how to run; for a sharded build, which shard,
/// the shard plan it follows (none: the partition is computed from the plan) and the run its shard lock belongs to.
/// </summary>
public sealed record BuildOptions(string Root, string ConfigPath, bool Explain, TimeSpan WaitForLock)
{
    public const string DefaultConfig = "configs/sample.yml";

    public Shard? Shard { get; init; }

    public string? ShardPlanPath { get; init; }

    /// <summary>Names the folder of this run's shard locks, <c>&lt;lock dir&gt;/shards/&lt;run&gt;/</c>.</summary>
    public string Run { get; init; } = "default";

    /// <summary>The options with the command line's sharding arguments: <c>--shard=K/N|auto</c>, <c>--shard-plan</c>, <c>--run</c>.</summary>
    public BuildOptions WithSharding(string? shard, string? shardPlan, string run)
    {
        if (shard is null && shardPlan is not null)
        {
            throw new ShardSpecException("--shard-plan: a shard plan is for a sharded build; pass --shard=K/N (or auto) too.");
        }

        return this with { Shard = shard is null ? null : ShardEnvironment.Resolve(shard), ShardPlanPath = shardPlan, Run = run };
    }
}
