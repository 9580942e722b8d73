namespace CellPainting.Stages.Splits;

/// <summary>
/// <c>cellclip_cpjump_style</c>: within each slice of plates sharing cell type, time and perturbation, the
/// broad_samples in ordinal order; the first 75 % (rounded down) train, the rest test; validate stays empty.
/// (The reference fills its lists from Python sets, so only membership is reproducible; that is what is kept.)
/// </summary>
internal static class CellClipCpjumpStyleSplit
{
    public static Dictionary<int, SplitSubset> Assign(IReadOnlyList<SplitCandidate> candidates, ExperimentMetadata experiments)
    {
        var assigned = new Dictionary<int, SplitSubset>();
        // The planner has already set aside wells whose plate the experiment metadata lacks.
        var slices = candidates.GroupBy(c => experiments.TryGetPlate(c.Key.Barcode, out var plate)
            ? (plate.CellType, plate.Time, plate.Perturbation)
            : throw new InvalidOperationException($"plate {c.Key.Barcode} has no experiment metadata"));
        foreach (var slice in slices)
        {
            var samples = slice.GroupBy(c => c.Info.BroadSample, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var trainSize = (int)(0.75 * samples.Count);
            for (var i = 0; i < samples.Count; i++)
            {
                foreach (var candidate in samples[i])
                {
                    assigned.Add(candidate.Index, i < trainSize ? SplitSubset.Train : SplitSubset.Test);
                }
            }
        }

        return assigned;
    }
}
