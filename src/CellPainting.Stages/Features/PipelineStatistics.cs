namespace CellPainting.Stages.Features;

/// <summary>
/// Where a <see cref="BatchPipeline"/> run spent its time. The producer side (decode + resize, supplied by the caller)
/// and the consumer side (preprocess, inference, the caller's write) run concurrently, so the parts add up to more
/// than <see cref="Wall"/> when they overlap. A large <see cref="ConsumerWaiting"/> means decoding is the bottleneck;
/// a large <see cref="ProducerBlocked"/> means inference is.
/// </summary>
/// <param name="Sites">Sites delivered.</param>
/// <param name="Batches">Forward passes.</param>
/// <param name="Wall">Elapsed time of the whole run.</param>
/// <param name="Produce">Time inside the caller's producer (decode + resize of each site).</param>
/// <param name="ProducerBlocked">Time the producer waited for room in the bounded queue.</param>
/// <param name="ConsumerWaiting">Time the consumer waited for the next batch.</param>
/// <param name="Preprocess">Normalisation + NCHW batching (<see cref="FeatureTimings.Preprocess"/>).</param>
/// <param name="Inference">ONNX Runtime forward passes (<see cref="FeatureTimings.Inference"/>).</param>
/// <param name="Deliver">Time inside the caller's per-site callback (writing the .pt files).</param>
public sealed record PipelineStatistics(
    long Sites,
    long Batches,
    TimeSpan Wall,
    TimeSpan Produce,
    TimeSpan ProducerBlocked,
    TimeSpan ConsumerWaiting,
    TimeSpan Preprocess,
    TimeSpan Inference,
    TimeSpan Deliver);
