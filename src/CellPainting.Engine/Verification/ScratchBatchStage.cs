using CellPainting.Engine.Items;

namespace CellPainting.Engine.Verification;

/// <summary>A <see cref="ScratchStage"/> of a batch stage: batches go to the real stage unchanged.</summary>
internal sealed class ScratchBatchStage : ScratchStage, IBatchStage
{
    private readonly IBatchStage inner;

    public ScratchBatchStage(IBatchStage inner, IReadOnlyList<WorkItem> items)
        : base(inner, items)
    {
        this.inner = inner;
    }

    public int BatchSize => inner.BatchSize;

    public object Prepare(WorkItem item, IBuildContext context) => inner.Prepare(item, context);

    public void BuildBatch(IReadOnlyList<PreparedItem> batch) => inner.BuildBatch(batch);
}
