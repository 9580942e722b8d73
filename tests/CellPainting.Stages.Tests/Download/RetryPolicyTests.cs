using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new() { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(1000) };

    [TestCase(1, 100)]
    [TestCase(2, 200)]
    [TestCase(4, 800)]
    [TestCase(5, 1000)]
    [TestCase(40, 1000)]
    public void TheDelayCeilingDoublesPerRetryUpToTheCap(int retry, int ceilingMilliseconds) =>
        Assert.That(Policy.DelayBeforeRetry(retry, 0.999999).TotalMilliseconds, Is.EqualTo(ceilingMilliseconds).Within(0.01));

    [Test]
    public void JitterScalesTheDelayBetweenZeroAndTheCeiling()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Policy.DelayBeforeRetry(3, 0), Is.EqualTo(TimeSpan.Zero));
            Assert.That(Policy.DelayBeforeRetry(3, 0.5), Is.EqualTo(TimeSpan.FromMilliseconds(200)));
        });
    }

    [Test]
    public void RetryNumbersAndJitterOutsideTheirRangesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Policy.DelayBeforeRetry(0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Policy.DelayBeforeRetry(1, 1.0));
    }
}
