using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Planning;

/// <summary>
/// The one place that decides whether an item is stale, and says why.
/// Outputs are checked by stamp first and read only when the stamp moved, so a no-op run reads no content.
/// </summary>
public sealed class DirtyCheck
{
    private readonly IStage stage;
    private readonly StatCache statCache;
    private readonly Func<string, IReadOnlyDictionary<string, string>?> previousParameters;

    /// <param name="previousParameters">The parameter values behind a recorded digest, when known, to name what changed.</param>
    public DirtyCheck(IStage stage, StatCache statCache, Func<string, IReadOnlyDictionary<string, string>?>? previousParameters = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(statCache);
        this.stage = stage;
        this.statCache = statCache;
        this.previousParameters = previousParameters ?? (_ => null);
    }

    /// <param name="fingerprint">The item's fingerprint now; null when an input's digest is learnt only by fetching it.</param>
    public Staleness Decide(WorkItem item, BuildRecord? previous, bool interrupted, string? fingerprint, IReadOnlyList<HashedName> inputs)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(inputs);
        if (interrupted)
        {
            return new Staleness(StaleReason.PreviousRunIncomplete, "started but not finished");
        }

        if (previous is null)
        {
            return new Staleness(StaleReason.New, string.Empty);
        }

        if (previous.RecipeVersion != stage.RecipeVersion)
        {
            return new Staleness(StaleReason.RecipeChanged, $"recipe {previous.RecipeVersion} -> {stage.RecipeVersion}");
        }

        if (!previous.HasParameters(stage.Parameters.Digest))
        {
            IReadOnlyDictionary<string, string>? before = previousParameters(previous.ParametersDigest);
            return new Staleness(StaleReason.ParamsChanged, before is null ? string.Empty : DescribeChanges(before, stage.Parameters.Values));
        }

        if (fingerprint is null)
        {
            return new Staleness(StaleReason.InputChanged, DescribeUnknown(item, inputs));
        }

        if (previous.Fingerprint != fingerprint)
        {
            return new Staleness(StaleReason.InputChanged, DescribeChanges(ByName(previous.Inputs), ByName(inputs)));
        }

        foreach (ItemOutput output in item.Outputs)
        {
            Staleness verdict = CheckOutput(output, previous);
            if (verdict.IsStale)
            {
                return verdict;
            }
        }

        return Staleness.UpToDate;
    }

    private Staleness CheckOutput(ItemOutput output, BuildRecord previous)
    {
        string? recorded = previous.Outputs.FirstOrDefault(recordedOutput => recordedOutput.Name == output.Name).Hash;
        if (recorded is null)
        {
            return new Staleness(StaleReason.OutputMissing, $"{output.Name} was never recorded");
        }

        FileStamp? stamp = FileStatReader.TryRead(output.Path);
        if (stamp is null)
        {
            return new Staleness(StaleReason.OutputMissing, output.Path);
        }

        return statCache.HashOf(output.Path, stamp.Value) == recorded
            ? Staleness.UpToDate
            : new Staleness(StaleReason.OutputModified, output.Path);
    }

    /// <summary>"ch2 known only once fetched from s3://…": the inputs whose digest nobody recorded, with where they are.</summary>
    private static string DescribeUnknown(WorkItem item, IReadOnlyList<HashedName> inputs) =>
        string.Join(", ", item.Inputs.Zip(inputs)
            .Where(pair => pair.Second.Hash.Length == 0)
            .Select(pair => $"{pair.First.Name} known only once fetched from {pair.First.Remote?.Location ?? pair.First.Path}"));

    private static Dictionary<string, string> ByName(IReadOnlyList<HashedName> inputs) =>
        inputs.ToDictionary(input => input.Name, input => input.Hash, StringComparer.Ordinal);

    /// <summary>Names, sorted, with what happened to each: "gone removed, left added, right modified".</summary>
    private static string DescribeChanges(IReadOnlyDictionary<string, string> old, IReadOnlyDictionary<string, string> current)
    {
        IEnumerable<string> changes = current.Keys.Concat(old.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(name => (name, Describe(old.GetValueOrDefault(name), current.GetValueOrDefault(name))))
            .Where(change => change.Item2 is not null)
            .Select(change => $"{change.name} {change.Item2}");
        return string.Join(", ", changes);
    }

    private static string? Describe(string? before, string? now) => (before, now) switch
    {
        (null, not null) => "added",
        (not null, null) => "removed",
        // A recorded input hash may be a prefix (the log keeps no more to name a change): equal as far as it goes.
        _ when !now!.StartsWith(before!, StringComparison.Ordinal) && !before!.StartsWith(now!, StringComparison.Ordinal) => "modified",
        _ => null,
    };
}
