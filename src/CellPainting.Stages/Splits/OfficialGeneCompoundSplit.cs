namespace CellPainting.Stages.Splits;

/// <summary>
/// <c>cpjump1_official_gene_compound</c>: wells whose target is perturbed by all three modalities, grouped by target;
/// targets ranked by radix (targets without one last, then by name); the first 60 % (rounded down) train, the next
/// 20 % (rounded up) validate, the rest test. The reference orders by radix; the upstream example file orders by
/// first appearance instead, so the two agree on only part of the targets (official-splits-inputs.md §5).
/// </summary>
internal static class OfficialGeneCompoundSplit
{
    public static Dictionary<int, SplitSubset> Assign(IReadOnlyList<SplitCandidate> candidates)
    {
        var kept = candidates.Where(c => c.Context!.TargetIsAcross && c.Context.Target.Length > 0).ToList();
        var radixByTarget = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var candidate in kept)
        {
            // The first well seen decides the target's radix.
            radixByTarget.TryAdd(candidate.Context!.Target, candidate.Context.TargetRadix);
        }

        var ranked = radixByTarget
            .OrderBy(t => t.Value is null)
            .ThenBy(t => t.Value ?? 1_000_000_000)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => t.Key)
            .ToList();
        var subsets = SubsetsByRank(ranked.Count);
        var subsetByTarget = ranked.Select((target, rank) => (target, rank)).ToDictionary(t => t.target, t => subsets[t.rank], StringComparer.Ordinal);
        return kept.ToDictionary(c => c.Index, c => subsetByTarget[c.Context!.Target]);
    }

    /// <summary>The subset of each rank for <paramref name="count"/> targets, with the reference's integer rounding.</summary>
    public static SplitSubset[] SubsetsByRank(int count)
    {
        var train = (int)(count * 0.60);
        var validate = ((count * 20) + 99) / 100;
        if (count - train - validate < 0)
        {
            validate = count - train;
        }

        return [.. Enumerable.Range(0, count).Select(rank => rank < train ? SplitSubset.Train : rank < train + validate ? SplitSubset.Validate : SplitSubset.Test)];
    }
}
