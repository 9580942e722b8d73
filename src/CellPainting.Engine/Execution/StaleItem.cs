using CellPainting.Engine.Items;
using CellPainting.Engine.Planning;

namespace CellPainting.Engine.Execution;

/// <summary>
/// An item the dirty check found stale, with everything a strategy needs to build it. <see cref="Fingerprint"/> is
/// null while an input's digest is learnt only by fetching it: a strategy that builds fetches it first
/// (<see cref="WithInputsFetched"/>); one that only explains never does.
/// </summary>
public sealed record StaleItem(IStage Stage, WorkItem Item, ResolvedInputs Inputs, string? Fingerprint, Staleness Staleness)
{
    /// <summary>This item with its unknown inputs fetched and its fingerprint computed.</summary>
    public StaleItem WithInputsFetched()
    {
        if (Fingerprint is not null)
        {
            return this;
        }

        Inputs.FetchUnknown();
        return this with { Fingerprint = Planning.Fingerprint.Of(Stage, Inputs.Hashes) };
    }

    /// <summary>The fingerprint of an item whose inputs are all known; asking before they are is a bug.</summary>
    public string KnownFingerprint => Fingerprint ?? throw new InvalidOperationException($"Item {Item.Id} has inputs not fetched yet; it has no fingerprint.");
}
