using System.Collections.Concurrent;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Execution;

/// <summary>
/// Lists the parts of stages run together on a thread of its own, round by round (the i-th part of each stage, null
/// for a stage with no i-th part), while the run checks the rounds listed before: listing a plate and checking the
/// previous one overlap on two cores. Until told to list all, it keeps <see cref="Ahead"/> rounds waiting.
/// </summary>
internal sealed class PartListing : IDisposable
{
    /// <summary>
    /// Rounds listed and waiting while one is checked. In a no-op at 51 plates the checks were the slower side (they
    /// never waited for a round, the listing waited 1.7-2.9 s to hand one over) with 1 or 2 waiting alike; every round
    /// alive is young memory each collection copies, so one.
    /// </summary>
    private const int Ahead = 1;

    private readonly BlockingCollection<StageItems?[]> rounds = new();
    private readonly SemaphoreSlim room = new(Ahead);
    private volatile bool all;
    private readonly CancellationTokenSource stop;
    private readonly Task listing;

    /// <param name="listed">Told of each part as it is listed, on the listing thread.</param>
    public PartListing(IReadOnlyList<IStage> stages, Action<IStage, StageItems> listed, CancellationToken cancellation)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        listing = Task.Factory.StartNew(() => List(stages, listed), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The rounds in order, each as soon as it is listed; a listing that failed throws once the rounds before it are taken.</summary>
    public IEnumerable<StageItems?[]> Rounds()
    {
        foreach (StageItems?[] round in rounds.GetConsumingEnumerable(stop.Token))
        {
            room.Release();
            yield return round;
        }

        listing.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Lets the listing run ahead to the last part: once a run builds, its parts take long enough that holding them all
    /// costs nothing beside the work, and the progress shows every item listed, not only the next few parts'.
    /// </summary>
    public void ListAll()
    {
        if (!all)
        {
            all = true;
            room.Release();
        }
    }

    /// <summary>Stops the listing (when the run stopped early) and waits for its thread.</summary>
    public void Dispose()
    {
        stop.Cancel();
        try
        {
            listing.Wait();
        }
        catch (AggregateException)
        {
            // Its failure was thrown by Rounds, or the run failed first and says why.
        }

        stop.Dispose();
        room.Dispose();
        rounds.Dispose();
    }

    private void List(IReadOnlyList<IStage> stages, Action<IStage, StageItems> listed)
    {
        var parts = new IEnumerator<StageItems>?[stages.Count];
        try
        {
            for (int index = 0; index < parts.Length; index++)
            {
                parts[index] = stages[index].DiscoverParts().GetEnumerator();
            }

            while (true)
            {
                var round = new StageItems?[parts.Length];
                bool any = false;
                for (int index = 0; index < parts.Length; index++)
                {
                    if (parts[index] is not { } part)
                    {
                        continue;
                    }

                    if (part.MoveNext())
                    {
                        round[index] = part.Current;
                        listed(stages[index], part.Current);
                        any = true;
                    }
                    else
                    {
                        part.Dispose();
                        parts[index] = null;
                    }
                }

                if (!any)
                {
                    return;
                }

                if (!all)
                {
                    room.Wait(stop.Token);
                }

                rounds.Add(round, stop.Token);
            }
        }
        finally
        {
            rounds.CompleteAdding();
            foreach (IEnumerator<StageItems>? part in parts)
            {
                part?.Dispose();
            }
        }
    }
}
