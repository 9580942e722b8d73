using CellPainting.Engine.Items;

namespace CellPainting.Engine.Sharding;

/// <summary>A batch stage seen by one shard (see <see cref="ShardedStage"/>): batches and preparation pass through.</summary>
public sealed class ShardedBatchStage : ShardedStage, IBatchStage
{
    private readonly IBatchStage batchStage;

    internal ShardedBatchStage(IBatchStage inner, Shard shard, ShardPartition? pinned)
        : base(inner, shard, pinned)
    {
        batchStage = inner;
    }

    public int BatchSize => batchStage.BatchSize;

    public object Prepare(WorkItem item, IBuildContext context) => batchStage.Prepare(item, context);

    public void BuildBatch(IReadOnlyList<PreparedItem> batch) => batchStage.BuildBatch(batch);
}
