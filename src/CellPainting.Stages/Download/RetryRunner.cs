using System.Collections.Concurrent;

namespace CellPainting.Stages.Download;

/// <summary>Runs one request under the <see cref="RetryPolicy"/>, recording every retried fault.</summary>
internal sealed class RetryRunner
{
    private readonly RetryPolicy _policy;
    private readonly ConcurrentQueue<TransientFault> _faults = new();

    public RetryRunner(RetryPolicy policy)
    {
        _policy = policy;
    }

    public IReadOnlyList<TransientFault> Faults => [.. _faults];

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds; throws <see cref="OperationFailedException"/> on a
    /// permanent fault or when the attempts are spent, and <see cref="OperationCanceledException"/> when the
    /// caller cancels.
    /// </summary>
    public async Task<T> RunAsync<T>(string key, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception exception)
            {
                var reason = TransientFaultClassifier.Describe(exception);
                if (!TransientFaultClassifier.IsTransient(exception))
                {
                    throw new OperationFailedException(reason, number, exception);
                }

                _faults.Enqueue(new TransientFault(key, number, reason));
                if (number >= _policy.MaxAttempts)
                {
                    throw new OperationFailedException($"{reason} (gave up after {number} attempts)", number, exception);
                }

                await Task.Delay(_policy.DelayBeforeRetry(number, Random.Shared.NextDouble()), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
