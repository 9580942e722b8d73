using CellPainting.Engine.Items;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Verification;

/// <summary>
/// A deterministic random sample: items ranked by SHA-256 of (seed, id). The same seed picks the same items on any
/// machine, and an item keeps its rank when others come or go, so a sample survives small plan changes.
/// </summary>
public static class SampleChoice
{
    public static IReadOnlyList<WorkItem> Choose(IEnumerable<WorkItem> candidates, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return candidates
            .OrderBy(item => ContentHash.OfText($"{seed}\n{item.Id}"), StringComparer.Ordinal)
            .Take(count)
            .OrderBy(item => item.Id, StringComparer.Ordinal)
            .ToArray();
    }
}
