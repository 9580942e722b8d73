using System.Globalization;
using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>
/// Assigns dataset wells to train / validate / test with one of the reference's strategies and returns the manifest
/// rows (§13). Controls and empty wells (<see cref="PerturbationInfo.IsControlOrEmpty"/>) are never assigned.
/// </summary>
public static class SplitPlanner
{
    private const int ShownWells = 5;

    public static SplitResult Plan(SplitStrategy strategy, SplitInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var problems = new List<MetadataProblem>();
        var name = strategy.ToName();
        var entries = IndexEntries(inputs, problems);
        if (entries is null)
        {
            return new SplitResult(strategy, [], problems);
        }

        if (strategy is SplitStrategy.Cpjump1OfficialRepresentation or SplitStrategy.Cpjump1OfficialGeneCompound)
        {
            if (inputs.OfficialContexts is null)
            {
                problems.Add(MetadataProblem.Error(null, null, $"{name} needs the official well contexts, which were not given"));
                return new SplitResult(strategy, [], problems);
            }

            entries = ApplyPolicy(entries, c => c.Context is not null, $"official split metadata in {inputs.OfficialContexts.Source}", inputs.MissingContext, problems);
        }
        else if (strategy is SplitStrategy.CellclipCpjumpStyle)
        {
            if (inputs.Experiments is null)
            {
                problems.Add(MetadataProblem.Error(null, null, $"{name} needs the experiment metadata, which was not given"));
                return new SplitResult(strategy, [], problems);
            }

            var experiments = inputs.Experiments;
            entries = ApplyPolicy(entries, c => experiments.TryGetPlate(c.Key.Barcode, out _), $"a plate row in {experiments.Source}", inputs.MissingContext, problems);
        }

        if (inputs.OfficialContexts is null)
        {
            problems.Add(MetadataProblem.Warning(null, null, "no official well contexts given; the manifest's cell line, experiment type and timepoint columns are empty"));
        }

        if (entries is null)
        {
            return new SplitResult(strategy, [], problems);
        }

        var candidates = entries.Where(c => !c.Info.IsControlOrEmpty).ToList();
        var assigned = strategy switch
        {
            SplitStrategy.PertType => PertTypeSplit.Assign(candidates, inputs.Parameters),
            SplitStrategy.Cpjump1OfficialRepresentation => OfficialRepresentationSplit.Assign(candidates, problems),
            SplitStrategy.Cpjump1OfficialGeneCompound => OfficialGeneCompoundSplit.Assign(candidates),
            SplitStrategy.CellclipCpjumpStyle => CellClipCpjumpStyleSplit.Assign(candidates, inputs.Experiments!),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "not a split strategy"),
        };
        if (problems.Any(p => p.IsError))
        {
            return new SplitResult(strategy, [], problems);
        }

        var rows = entries
            .Where(c => assigned.ContainsKey(c.Index))
            .Select(c => Row(name, assigned[c.Index], c))
            .ToList();
        return new SplitResult(strategy, rows, problems);
    }

    /// <summary>The sorted dataset index joined with metadata and contexts; null after a duplicate-entry error.</summary>
    private static List<SplitCandidate>? IndexEntries(SplitInputs inputs, List<MetadataProblem> problems)
    {
        var keys = inputs.DatasetIndex.Order().ToList();
        var duplicates = keys.Where((key, i) => i > 0 && keys[i - 1] == key).Distinct().ToList();
        if (duplicates.Count > 0)
        {
            problems.Add(MetadataProblem.Error(null, null, $"the dataset index lists {duplicates.Count} well(s) more than once: {Shown(duplicates)}"));
            return null;
        }

        var unknown = keys.Where(k => !inputs.Metadata.TryGet(k, out _)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add(MetadataProblem.Warning(
                null,
                null,
                $"{unknown.Count} dataset well(s) are not in the metadata cache and are left out of every split (plates {Plates(unknown)}): {Shown(unknown)}"));
        }

        return
        [
            .. keys.Select((key, index) =>
            {
                OfficialWellContext? context = null;
                if (inputs.OfficialContexts is { } contexts && contexts.TryGet(key, out var found))
                {
                    context = found;
                }

                return new SplitCandidate(index, key, inputs.Metadata.Lookup(key), context);
            }),
        ];
    }

    /// <summary>
    /// Checks every dataset well, controls included (as the reference does), for what the strategy needs; wells
    /// lacking it fail the split or are left out with a warning, per <paramref name="policy"/>.
    /// </summary>
    private static List<SplitCandidate>? ApplyPolicy(
        List<SplitCandidate> entries,
        Func<SplitCandidate, bool> hasContext,
        string what,
        MissingContextPolicy policy,
        List<MetadataProblem> problems)
    {
        var missing = entries.Where(c => !hasContext(c)).Select(c => c.Key).ToList();
        if (missing.Count == 0)
        {
            return entries;
        }

        var message = $"{missing.Count} dataset well(s) on plates {Plates(missing)} have no {what}: {Shown(missing)}";
        if (policy == MissingContextPolicy.Fail)
        {
            problems.Add(MetadataProblem.Error(null, null, $"{message}; restrict the split to plates that have one, or skip such wells"));
            return null;
        }

        problems.Add(MetadataProblem.Warning(null, null, $"{message}; they are left out of the split"));
        return [.. entries.Where(hasContext)];
    }

    private static string Shown(List<WellKey> keys) =>
        string.Join(", ", keys.Take(ShownWells)) + (keys.Count > ShownWells ? ", …" : "");

    private static string Plates(List<WellKey> keys) =>
        string.Join(", ", keys.GroupBy(k => k.Barcode, StringComparer.Ordinal).Select(g => $"{g.Key} ({g.Count()})"));

    private static SplitManifestRow Row(string strategy, SplitSubset subset, SplitCandidate candidate)
    {
        var context = candidate.Context;
        var info = candidate.Info;
        var target = context is { Target.Length: > 0 } ? context.Target : info.Gene.Length > 0 ? info.Gene : info.TargetList;
        return new SplitManifestRow(
            strategy,
            subset.ToName(),
            candidate.Key.Barcode,
            candidate.Key.Well,
            info.BroadSample,
            context?.CellLine ?? "",
            context?.ExperimentType ?? "",
            context?.Timepoint.ToString(CultureInfo.InvariantCulture) ?? "",
            context?.TimepointCode ?? "",
            target);
    }
}
