using System.Net;
using ErrorType = Amazon.Runtime.ErrorType;
using Amazon.S3;
using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class RetryRunnerTests
{
    private static readonly RetryPolicy Fast = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) };

    [Test]
    public async Task TransientFaultsAreRetriedAndRecordedUntilAnAttemptSucceeds()
    {
        var runner = new RetryRunner(Fast);
        var calls = 0;

        var result = await runner.RunAsync("k", _ => ++calls < 3 ? throw new HttpRequestException("reset") : Task.FromResult("body"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo("body"));
            Assert.That(calls, Is.EqualTo(3));
            Assert.That(runner.Faults.Select(f => (f.Key, f.Attempt)), Is.EqualTo(new[] { ("k", 1), ("k", 2) }));
        });
    }

    [Test]
    public void APermanentFaultFailsAtOnce()
    {
        var runner = new RetryRunner(Fast);
        var denied = new AmazonS3Exception("Access Denied", ErrorType.Sender, "AccessDenied", "id", HttpStatusCode.Forbidden);

        var failure = Assert.ThrowsAsync<OperationFailedException>(() => runner.RunAsync<string>("k", _ => throw denied, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure.Attempts, Is.EqualTo(1));
            Assert.That(failure.Message, Does.Contain("HTTP 403 AccessDenied"));
            Assert.That(runner.Faults, Is.Empty);
        });
    }

    [Test]
    public void TransientFaultsPastTheBudgetFailWithTheAttemptCount()
    {
        var runner = new RetryRunner(Fast);

        var failure = Assert.ThrowsAsync<OperationFailedException>(() => runner.RunAsync<string>("k", _ => throw new ObjectIntegrityException("MD5 mismatch"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure.Attempts, Is.EqualTo(3));
            Assert.That(failure.Message, Does.Contain("gave up after 3 attempts"));
            Assert.That(runner.Faults, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public void TheCallersCancellationIsNotRetried()
    {
        using var cancellation = new CancellationTokenSource();
        var runner = new RetryRunner(Fast);
        var calls = 0;

        Assert.CatchAsync<OperationCanceledException>(() => runner.RunAsync<string>("k", token =>
        {
            calls++;
            cancellation.Cancel();
            token.ThrowIfCancellationRequested();
            return Task.FromResult("never");
        }, cancellation.Token));

        Assert.That(calls, Is.EqualTo(1));
    }
}
