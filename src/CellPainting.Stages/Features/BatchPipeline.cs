using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace CellPainting.Stages.Features;

/// <summary>
/// Overlaps CPU decode/resize of the next batches with inference of the current one: a producer task fills batches of
/// <see cref="FeatureExtractor.BatchSize"/> sites into a bounded queue (so at most <c>prefetchBatches</c> decoded
/// batches sit in memory) while the caller's thread runs them through the extractor and hands each site's features
/// to the caller. A failure on either side stops the other and is rethrown as it happened.
/// </summary>
public sealed class BatchPipeline
{
    private readonly FeatureExtractor extractor;
    private readonly int prefetchBatches;

    /// <summary>A pipeline around <paramref name="extractor"/> with room for <paramref name="prefetchBatches"/> batches ahead of inference.</summary>
    public BatchPipeline(FeatureExtractor extractor, int prefetchBatches = 2)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(prefetchBatches);
        this.extractor = extractor;
        this.prefetchBatches = prefetchBatches;
    }

    /// <summary>
    /// Runs <paramref name="produce"/> (yields site tensors, typically decoding and resizing TIFFs) on a background task
    /// and calls <paramref name="deliver"/> with each site's features, one at a time, in production order.
    /// </summary>
    public async Task<PipelineStatistics> RunAsync(
        Func<CancellationToken, IAsyncEnumerable<SiteTensor>> produce,
        Func<SiteFeatures, CancellationToken, ValueTask> deliver,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentNullException.ThrowIfNull(deliver);

        var started = Stopwatch.GetTimestamp();
        var before = extractor.Timings;
        var queue = Channel.CreateBounded<SiteTensor[]>(new BoundedChannelOptions(prefetchBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(produce, queue.Writer, stop.Token), stop.Token);

        long waitingTicks = 0;
        long deliverTicks = 0;
        try
        {
            while (true)
            {
                var waitStart = Stopwatch.GetTimestamp();
                var more = await queue.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false);
                waitingTicks += Stopwatch.GetTimestamp() - waitStart;
                if (!more)
                {
                    break;
                }

                while (queue.Reader.TryRead(out var batch))
                {
                    foreach (var features in extractor.ExtractBatch(batch))
                    {
                        var deliverStart = Stopwatch.GetTimestamp();
                        await deliver(features, stop.Token).ConfigureAwait(false);
                        deliverTicks += Stopwatch.GetTimestamp() - deliverStart;
                    }
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            // The consumer only sees an echo of a producer failure through the queue; rethrow the original.
            var producerError = await FailureOf(producer).ConfigureAwait(false);
            if (producerError is not null and not OperationCanceledException)
            {
                ExceptionDispatchInfo.Throw(producerError);
            }

            throw;
        }

        var (produceTicks, blockedTicks) = await producer.ConfigureAwait(false);
        var after = extractor.Timings;
        return new PipelineStatistics(
            after.Sites - before.Sites,
            after.Batches - before.Batches,
            Stopwatch.GetElapsedTime(started),
            Stopwatch.GetElapsedTime(0, produceTicks),
            Stopwatch.GetElapsedTime(0, blockedTicks),
            Stopwatch.GetElapsedTime(0, waitingTicks),
            after.Preprocess - before.Preprocess,
            after.Inference - before.Inference,
            Stopwatch.GetElapsedTime(0, deliverTicks));
    }

    /// <summary>Fills the queue with batches; returns the ticks spent producing and the ticks blocked on a full queue.</summary>
    private async Task<(long ProduceTicks, long BlockedTicks)> ProduceAsync(
        Func<CancellationToken, IAsyncEnumerable<SiteTensor>> produce,
        ChannelWriter<SiteTensor[]> writer,
        CancellationToken cancellationToken)
    {
        long produceTicks = 0;
        long blockedTicks = 0;
        try
        {
            var batch = new List<SiteTensor>(extractor.BatchSize);
            var sites = produce(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (sites.ConfigureAwait(false))
            {
                while (true)
                {
                    var produceStart = Stopwatch.GetTimestamp();
                    var more = await sites.MoveNextAsync().ConfigureAwait(false);
                    produceTicks += Stopwatch.GetTimestamp() - produceStart;
                    if (!more)
                    {
                        break;
                    }

                    batch.Add(sites.Current);
                    if (batch.Count == extractor.BatchSize)
                    {
                        blockedTicks += await WriteAsync(writer, batch, cancellationToken).ConfigureAwait(false);
                        batch.Clear();
                    }
                }
            }

            if (batch.Count > 0)
            {
                blockedTicks += await WriteAsync(writer, batch, cancellationToken).ConfigureAwait(false);
            }

            writer.Complete();
            return (produceTicks, blockedTicks);
        }
        catch (Exception error)
        {
            writer.TryComplete(error);
            throw;
        }
    }

    /// <summary>Queues a copy of <paramref name="batch"/>; returns the ticks spent waiting for room.</summary>
    private static async Task<long> WriteAsync(ChannelWriter<SiteTensor[]> writer, List<SiteTensor> batch, CancellationToken cancellationToken)
    {
        var blockedStart = Stopwatch.GetTimestamp();
        await writer.WriteAsync([.. batch], cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetTimestamp() - blockedStart;
    }

    private static async Task<Exception?> FailureOf(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }
}
