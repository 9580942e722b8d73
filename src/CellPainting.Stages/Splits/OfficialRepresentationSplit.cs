using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>
/// <c>cpjump1_official_representation</c>: CRISPR and ORF wells train; compound wells validate at the short
/// timepoint (<c>low</c>) and test at the long one (<c>high</c>). Any other context is an error, as in the reference.
/// </summary>
internal static class OfficialRepresentationSplit
{
    public static Dictionary<int, SplitSubset> Assign(IReadOnlyList<SplitCandidate> candidates, ICollection<MetadataProblem> problems)
    {
        var assigned = new Dictionary<int, SplitSubset>();
        var unsplittable = new List<string>();
        foreach (var candidate in candidates)
        {
            var context = candidate.Context!;
            SplitSubset? subset = (context.ExperimentType.ToLowerInvariant(), context.TimepointCode) switch
            {
                ("crispr" or "orf", _) => SplitSubset.Train,
                ("compound", "low") => SplitSubset.Validate,
                ("compound", "high") => SplitSubset.Test,
                _ => null,
            };
            if (subset is null)
            {
                unsplittable.Add($"{candidate.Key} ({context.ExperimentType}, {context.TimepointCode})");
                continue;
            }

            assigned.Add(candidate.Index, subset.Value);
        }

        if (unsplittable.Count > 0)
        {
            problems.Add(MetadataProblem.Error(
                null,
                null,
                $"cpjump1_official_representation cannot place {unsplittable.Count} well(s) by experiment type and timepoint code: {string.Join(", ", unsplittable.Take(5))}"));
        }

        return assigned;
    }
}
