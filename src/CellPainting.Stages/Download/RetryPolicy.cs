namespace CellPainting.Stages.Download;

/// <summary>
/// Exponential backoff with full jitter for transient S3 faults. The SDK's own retries are switched off
/// so that one policy covers both request-level faults (5xx, SlowDown, resets) and body-level faults
/// (truncated or corrupt bodies), which only show up after the SDK has handed over the response stream.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Five attempts and 200 ms doubling up to 10 s: rides out an S3 SlowDown burst without stalling a plate for long.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>Total attempts per request, the first one included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Upper bound of the delay before the first retry.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap on any single delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Delay before retry number <paramref name="retry"/> (1 = first retry): a uniform draw from
    /// [0, min(MaxDelay, BaseDelay·2^(retry-1))]. Full jitter keeps parallel workers that failed together
    /// from retrying together.
    /// </summary>
    /// <param name="retry">1-based retry number.</param>
    /// <param name="jitter">A sample in [0, 1).</param>
    public TimeSpan DelayBeforeRetry(int retry, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (jitter is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "Jitter must lie in [0, 1).");
        }

        var exponent = Math.Min(retry - 1, 30);
        var ceilingTicks = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * (double)(1L << exponent));
        return TimeSpan.FromTicks((long)(ceilingTicks * jitter));
    }

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"RetryPolicy.MaxAttempts must be at least 1 (was {MaxAttempts}).");
        }

        if (BaseDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("RetryPolicy delays must not be negative.");
        }
    }
}
