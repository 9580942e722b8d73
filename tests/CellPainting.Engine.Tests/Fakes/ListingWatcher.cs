using CellPainting.Engine.Execution;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>An observer that, when one item finishes, waits until a number of parts are listed (for at most 30 s) and remembers how many were.</summary>
public sealed class ListingWatcher(string waitFor, int parts) : IBuildObserver
{
    private readonly CountdownEvent listed = new(parts);

    public int ListedWhenWaited { get; private set; }

    public void ItemsListed(string stage, int itemCount) => listed.Signal();

    public void ItemFinished(string stage, ItemOutcome outcome)
    {
        if (outcome.ItemId == waitFor)
        {
            listed.Wait(TimeSpan.FromSeconds(30));
            ListedWhenWaited = parts - listed.CurrentCount;
        }
    }

    public void StageFinished(StageReport report)
    {
    }
}
