using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class BatchPipelineTests
{
    private static TinyDinov3Reference Reference => TinyDinov3Reference.Instance;

    private FeatureExtractor extractor = null!;

    [OneTimeSetUp]
    public void OpenExtractor() => extractor = FeatureExtractor.Open(Reference.Options(ExecutionProvider.Cpu, batchSize: 2));

    [OneTimeTearDown]
    public void CloseExtractor() => extractor.Dispose();

    [Test]
    public async Task Every_site_is_delivered_in_order_with_the_features_of_direct_extraction()
    {
        var sites = Reference.BuildSites(5);
        var expected = extractor.Extract(sites).ToList();
        var delivered = new List<SiteFeatures>();

        var statistics = await new BatchPipeline(extractor).RunAsync(
            _ => sites.ToAsyncEnumerable(),
            (features, _) =>
            {
                delivered.Add(features);
                return ValueTask.CompletedTask;
            });

        Assert.That(delivered.Select(site => site.SiteId), Is.EqualTo(sites.Select(site => site.SiteId)));
        Assert.That(delivered.Select(site => site.Values), Is.EqualTo(expected.Select(site => site.Values)));
        Assert.That((statistics.Sites, statistics.Batches), Is.EqualTo((5L, 3L)), "two full batches of 2 and a tail of 1");
    }

    [Test]
    public async Task The_producer_runs_at_most_the_prefetched_batches_ahead_of_inference()
    {
        const int prefetch = 1;
        var produced = 0;
        var producedAtFirstDelivery = -1;

        await new BatchPipeline(extractor, prefetch).RunAsync(
            _ => CountingSites(40, () => Interlocked.Increment(ref produced)),
            async (_, token) =>
            {
                if (producedAtFirstDelivery < 0)
                {
                    // Give an unbounded producer ample time to run far ahead.
                    await Task.Delay(300, token);
                    producedAtFirstDelivery = Volatile.Read(ref produced);
                }
            });

        // The batch in inference, the queued batches, and one full batch waiting for room.
        Assert.That(producedAtFirstDelivery, Is.LessThanOrEqualTo((1 + prefetch + 1) * extractor.BatchSize));
        Assert.That(produced, Is.EqualTo(40));
    }

    [Test]
    public void A_producer_failure_is_rethrown_as_the_producer_threw_it()
    {
        var pipeline = new BatchPipeline(extractor);

        Assert.That(
            async () => await pipeline.RunAsync(_ => FailingAfter(3), (_, _) => ValueTask.CompletedTask),
            Throws.TypeOf<InvalidDataException>().With.Message.EqualTo("TIFF is truncated"));
    }

    [Test]
    public void A_delivery_failure_stops_the_producer_and_is_rethrown()
    {
        var produced = 0;
        var pipeline = new BatchPipeline(extractor);

        Assert.That(
            async () => await pipeline.RunAsync(
                _ => CountingSites(10_000, () => Interlocked.Increment(ref produced)),
                (_, _) => throw new IOException("disk full")),
            Throws.TypeOf<IOException>().With.Message.EqualTo("disk full"));
        Assert.That(produced, Is.LessThan(10_000));
    }

    [Test]
    public void Cancelling_the_run_stops_it()
    {
        using var cancellation = new CancellationTokenSource();
        var pipeline = new BatchPipeline(extractor);

        Assert.That(
            async () => await pipeline.RunAsync(
                _ => CountingSites(10_000, () => { }),
                (_, _) =>
                {
                    cancellation.Cancel();
                    return ValueTask.CompletedTask;
                },
                cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    private static async IAsyncEnumerable<SiteTensor> CountingSites(int count, Action onEach)
    {
        var pixels = Reference.BuildSites(1)[0].Pixels;
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            onEach();
            yield return new SiteTensor($"site{i}", pixels, Reference.Size);
        }
    }

    private static async IAsyncEnumerable<SiteTensor> FailingAfter(int count)
    {
        await foreach (var site in CountingSites(count, () => { }))
        {
            yield return site;
        }

        throw new InvalidDataException("TIFF is truncated");
    }
}
