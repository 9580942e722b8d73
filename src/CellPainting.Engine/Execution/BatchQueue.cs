using System.Collections.Concurrent;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Execution;

/// <summary>
/// Collects prepared items of a batch stage and builds them a batch at a time on one consumer thread. The queue
/// holds at most two batches, so workers preparing items wait instead of filling memory. Should the consumer itself
/// fail, workers are released with that failure instead of waiting forever for room in the queue.
/// </summary>
internal sealed class BatchQueue
{
    private readonly IBatchStage stage;
    private readonly BuildStrategy strategy;
    private readonly BlockingCollection<(StaleItem Stale, PreparedItem Prepared)> pending;
    private readonly ConcurrentQueue<ItemOutcome> outcomes = new();
    private readonly Action<ItemOutcome> finished;
    private readonly Task consumer;
    private readonly CancellationTokenSource stopped = new();
    private Exception? fault;

    public BatchQueue(IBatchStage stage, BuildStrategy strategy, Action<ItemOutcome> finished)
    {
        this.stage = stage;
        this.strategy = strategy;
        this.finished = finished;
        pending = new BlockingCollection<(StaleItem, PreparedItem)>(boundedCapacity: 2 * Math.Max(1, stage.BatchSize));
        consumer = Task.Factory.StartNew(Consume, TaskCreationOptions.LongRunning);
    }

    public void Add(StaleItem stale, PreparedItem prepared)
    {
        try
        {
            pending.Add((stale, prepared), stopped.Token);
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            throw new InvalidOperationException($"not built: the {stage.Name} batches stopped ({fault!.GetType().Name}: {fault.Message})", fault);
        }
    }

    /// <summary>Waits for the last batch and returns every batched outcome; rethrows what stopped the consumer, if anything did.</summary>
    public IReadOnlyList<ItemOutcome> Complete()
    {
        pending.CompleteAdding();
        consumer.GetAwaiter().GetResult();
        return outcomes.ToArray();
    }

    private void Consume()
    {
        try
        {
            var batch = new List<(StaleItem Stale, PreparedItem Prepared)>(stage.BatchSize);
            foreach ((StaleItem, PreparedItem) entry in pending.GetConsumingEnumerable())
            {
                batch.Add(entry);
                if (batch.Count == stage.BatchSize)
                {
                    Build(batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                Build(batch); // the tail batch: same per-item results, fewer items
            }
        }
        catch (Exception exception)
        {
            fault = exception;
            stopped.Cancel();
            throw;
        }
    }

    private void Build(List<(StaleItem Stale, PreparedItem Prepared)> batch)
    {
        try
        {
            stage.BuildBatch(batch.Select(entry => entry.Prepared).ToArray());
        }
        catch (Exception exception)
        {
            foreach ((StaleItem stale, PreparedItem prepared) in batch)
            {
                prepared.Fail($"batch failed: {exception.GetType().Name}: {exception.Message}");
            }
        }

        foreach ((StaleItem stale, PreparedItem prepared) in batch)
        {
            ItemOutcome outcome = prepared.Error is null
                ? Finish(stale, prepared)
                : ItemOutcome.Failure(stale.Item.Id, stale.Item.Group, prepared.Error);
            outcomes.Enqueue(outcome);
            finished(outcome);
        }
    }

    private ItemOutcome Finish(StaleItem stale, PreparedItem prepared)
    {
        try
        {
            return strategy.Completed(stale, (ItemBuildContext)prepared.Context);
        }
        catch (Exception exception)
        {
            // As on the item path: a record that cannot be journalled (disk full) fails its item, not the consumer.
            return ItemOutcome.Failure(stale.Item.Id, stale.Item.Group, StageRun.Describe(exception));
        }
    }
}
