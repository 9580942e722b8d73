namespace CellPainting.Engine.Items;

/// <summary>
/// A stage whose items are built in batches (a model forward pass over many sites). Per-item CPU work runs in
/// <see cref="Prepare"/> on the parallel workers, overlapping with <see cref="BuildBatch"/> of the previous batch.
/// </summary>
public interface IBatchStage : IStage
{
    int BatchSize { get; }

    /// <summary>Per-item work that needs no batch (decode, resize); the result is handed to <see cref="BuildBatch"/>.</summary>
    object Prepare(WorkItem item, IBuildContext context);

    /// <summary>Builds a batch; writes each item's outputs through its context, or marks it failed. Throwing fails the whole batch.</summary>
    void BuildBatch(IReadOnlyList<PreparedItem> batch);
}
