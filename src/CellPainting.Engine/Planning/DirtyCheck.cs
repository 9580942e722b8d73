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

    public DirtyCheck(IStage stage, StatCache statCache)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(statCache);
        this.stage = stage;
        this.statCache = statCache;
    }

    public Staleness Decide(WorkItem item, BuildRecord? previous, bool interrupted, string fingerprint, IReadOnlyList<HashedName> inputs)
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

        if (previous.ParametersDigest != stage.Parameters.Digest)
        {
            return new Staleness(StaleReason.ParamsChanged, string.Empty);
        }

        if (previous.Fingerprint != fingerprint)
        {
            return new Staleness(StaleReason.InputChanged, DescribeInputChanges(previous.Inputs, inputs));
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

    private static string DescribeInputChanges(IReadOnlyList<HashedName> before, IReadOnlyList<HashedName> now)
    {
        var old = before.ToDictionary(input => input.Name, input => input.Hash, StringComparer.Ordinal);
        var current = now.ToDictionary(input => input.Name, input => input.Hash, StringComparer.Ordinal);
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
        _ when before != now => "modified",
        _ => null,
    };
}
