using System.Collections.Concurrent;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>
/// The batch form of <see cref="SharingStage"/> that notes, as each batch starts, whether the run has already saved
/// its stat cache, and holds its last (partial) batch for <see cref="TailBatchDelay"/>. A run builds the partial
/// batch only once it stops taking items, so this batch records its outputs' hashes while the run finishes.
/// </summary>
public sealed class StateWatchingBatchStage : SharingStage, IBatchStage
{
    private readonly string statCacheFolder;
    private readonly ConcurrentQueue<bool> savedBeforeBatch = new();

    public StateWatchingBatchStage(string name, IReadOnlyList<WorkItem> items, SharedInputs inputs, string statCacheFolder)
        : base(name, items, inputs)
    {
        this.statCacheFolder = statCacheFolder;
    }

    public int BatchSize => 3;

    public TimeSpan TailBatchDelay { get; set; }

    /// <summary>Per batch built, in order: whether the stat cache had saved a shard when the batch started.</summary>
    public IReadOnlyList<bool> SavedBeforeBatch => savedBeforeBatch.ToArray();

    public object Prepare(WorkItem item, IBuildContext context) => Inputs.Of(item, context);

    public void BuildBatch(IReadOnlyList<PreparedItem> batch)
    {
        savedBeforeBatch.Enqueue(Directory.Exists(statCacheFolder) && Directory.EnumerateFiles(statCacheFolder).Any());
        if (batch.Count < BatchSize)
        {
            Thread.Sleep(TailBatchDelay);
        }

        foreach (PreparedItem prepared in batch)
        {
            Write(prepared.Context, (string)prepared.Payload);
        }
    }
}
