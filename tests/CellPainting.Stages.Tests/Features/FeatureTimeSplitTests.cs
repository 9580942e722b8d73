using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class FeatureTimeSplitTests
{
    [TestCase(20L, "decode 20 TIFFs 1.50 s")]
    [TestCase(0L, "decode shared with tensors (20 TIFFs decoded once for both)")]
    [TestCase(5L, "decode 5 TIFFs 1.50 s and 15 shared with tensors")]
    public void The_workers_decode_is_described_as_shared_for_the_sites_whose_tiffs_tensors_decoded(long decodedHere, string decode)
    {
        var split = new FeatureTimeSplit(TimeSpan.FromSeconds(1.5), decodedHere, TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(2), new FeatureTimings(4, 1, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(0.75));

        Assert.That(split.Describe(), Is.EqualTo($"4 sites in 1 batches; workers: {decode}, resize 0.25 s; consumer: model load 2.00 s, normalise 0.50 s, inference 3.00 s, write 0.75 s"));
    }
}
