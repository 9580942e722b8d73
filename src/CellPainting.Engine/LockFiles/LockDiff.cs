using System.Text;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// What changed between two locks, target by target, from the locks and their manifests alone. Only manifests
/// whose digests differ are read, so a one-item change costs two manifests whatever the lock's size.
/// </summary>
public sealed record LockDiff(string Base, string Head, IReadOnlyList<TargetDiff> Targets)
{
    /// <summary>How many item ids a diff names per kind of change.</summary>
    public const int SampleSize = 5;

    private static readonly IReadOnlyDictionary<string, string> NoValues = new SortedDictionary<string, string>(StringComparer.Ordinal);
    private static readonly IReadOnlyDictionary<string, GroupLock> NoGroups = new SortedDictionary<string, GroupLock>(StringComparer.Ordinal);

    public bool HasChanges => Targets.Any(target => target.Status != TargetStatus.Unchanged);

    /// <param name="elsewhere">Where to look for manifests neither lock has committed (local state, the cache).</param>
    public static LockDiff Between(LockSnapshot baseline, LockSnapshot head, IReadOnlyList<IManifestPlace>? elsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(head);
        var baseNeeded = new List<GroupKey>();
        var headNeeded = new List<GroupKey>();
        foreach (string target in baseline.Lock.Targets.Keys.Union(head.Lock.Targets.Keys))
        {
            IReadOnlyDictionary<string, GroupLock> before = GroupsOf(baseline.Lock, target);
            IReadOnlyDictionary<string, GroupLock> after = GroupsOf(head.Lock, target);
            foreach (string group in before.Keys.Union(after.Keys))
            {
                bool inBase = before.TryGetValue(group, out GroupLock? old);
                bool inHead = after.TryGetValue(group, out GroupLock? current);
                if (inBase && inHead && old!.Digest == current!.Digest)
                {
                    continue;
                }

                if (inBase)
                {
                    baseNeeded.Add(new GroupKey(target, group));
                }

                if (inHead)
                {
                    headNeeded.Add(new GroupKey(target, group));
                }
            }
        }

        Dictionary<GroupKey, ManifestTable> baseTables = Tables(baseline, baseNeeded, elsewhere);
        Dictionary<GroupKey, ManifestTable> headTables = Tables(head, headNeeded, elsewhere);
        TargetDiff[] targets = baseline.Lock.Targets.Keys.Union(head.Lock.Targets.Keys)
            .Order(StringComparer.Ordinal)
            .Select(target => CompareTarget(target, baseline.Lock.Targets.GetValueOrDefault(target), head.Lock.Targets.GetValueOrDefault(target), baseTables, headTables))
            .ToArray();
        return new LockDiff(baseline.Name, head.Name, targets);
    }

    private static IReadOnlyDictionary<string, GroupLock> GroupsOf(LockFile lockFile, string target) =>
        lockFile.Targets.TryGetValue(target, out TargetLock? section) ? section.Groups : NoGroups;

    private static Dictionary<GroupKey, ManifestTable> Tables(LockSnapshot snapshot, List<GroupKey> groups, IReadOnlyList<IManifestPlace>? elsewhere)
    {
        IReadOnlyList<byte[]> manifests = snapshot.ReadManifests(groups, elsewhere);
        return groups.Zip(manifests).ToDictionary(
            pair => pair.First,
            pair => ManifestTable.Parse(Encoding.UTF8.GetString(pair.Second), $"{snapshot.Name} {pair.First.Target}/{pair.First.Group}"));
    }

    private static TargetDiff CompareTarget(
        string name,
        TargetLock? before,
        TargetLock? after,
        Dictionary<GroupKey, ManifestTable> baseTables,
        Dictionary<GroupKey, ManifestTable> headTables)
    {
        RecipeChange? recipe = before?.RecipeVersion == after?.RecipeVersion ? null : new RecipeChange(before?.RecipeVersion, after?.RecipeVersion);
        ValueChange[] parameters = Changes(before?.Parameters ?? NoValues, after?.Parameters ?? NoValues)
            .Select(change => new ValueChange(change.Key, change.Old, change.New))
            .ToArray();
        IReadOnlyDictionary<string, GroupLock> oldGroups = before?.Groups ?? NoGroups;
        IReadOnlyDictionary<string, GroupLock> newGroups = after?.Groups ?? NoGroups;
        var groupsAdded = new List<string>();
        var groupsRemoved = new List<string>();
        var attributes = new List<AttributeChange>();
        ItemTally added = new(), removed = new(), changed = new();
        bool manifestsDiffer = false;
        foreach (string group in oldGroups.Keys.Union(newGroups.Keys).Order(StringComparer.Ordinal))
        {
            var key = new GroupKey(name, group);
            oldGroups.TryGetValue(group, out GroupLock? old);
            newGroups.TryGetValue(group, out GroupLock? current);
            if (old is null)
            {
                groupsAdded.Add(group);
                Tally(group, headTables[key], added);
            }
            else if (current is null)
            {
                groupsRemoved.Add(group);
                Tally(group, baseTables[key], removed);
            }
            else
            {
                attributes.AddRange(Changes(old.Attributes, current.Attributes).Select(change => new AttributeChange(group, change.Key, change.Old, change.New)));
                if (old.Digest != current.Digest)
                {
                    manifestsDiffer = true;
                    CompareRows(group, baseTables[key], headTables[key], added, removed, changed);
                }
            }
        }

        TargetStatus status = (before, after) switch
        {
            (null, _) => TargetStatus.Added,
            (_, null) => TargetStatus.Removed,
            _ when recipe is not null || parameters.Length > 0 || groupsAdded.Count > 0 || groupsRemoved.Count > 0 || attributes.Count > 0 || manifestsDiffer => TargetStatus.Changed,
            _ => TargetStatus.Unchanged,
        };
        return new TargetDiff(name, status, recipe, parameters, groupsAdded, groupsRemoved, attributes, added.ToChanges(), removed.ToChanges(), changed.ToChanges());
    }

    private static IEnumerable<(string Key, string? Old, string? New)> Changes(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys)
            .Order(StringComparer.Ordinal)
            .Select(key => (key, before.GetValueOrDefault(key), after.GetValueOrDefault(key)))
            .Where(change => change.Item2 != change.Item3);

    private static void Tally(string group, ManifestTable table, ItemTally tally)
    {
        foreach (string id in table.Rows.Keys.Order(StringComparer.Ordinal))
        {
            tally.Add(group, id, table.Rows[id].Size, []);
        }
    }

    private static void CompareRows(string group, ManifestTable before, ManifestTable after, ItemTally added, ItemTally removed, ItemTally changed)
    {
        // Columns are compared by name, so a manifest whose header gained or lost a column still diffs per column.
        string[] columns = before.Columns.Union(after.Columns).Order(StringComparer.Ordinal).ToArray();
        int[] oldIndex = columns.Select(before.ColumnIndex).ToArray();
        int[] newIndex = columns.Select(after.ColumnIndex).ToArray();
        foreach (string id in after.Rows.Keys.Order(StringComparer.Ordinal))
        {
            ManifestRow row = after.Rows[id];
            if (!before.Rows.TryGetValue(id, out ManifestRow? old))
            {
                added.Add(group, id, row.Size, []);
                continue;
            }

            string[] differing = columns.Where((_, index) => ValueAt(old, oldIndex[index]) != ValueAt(row, newIndex[index])).ToArray();
            if (differing.Length > 0)
            {
                changed.Add(group, id, row.Size, differing);
            }
        }

        foreach (string id in before.Rows.Keys.Where(id => !after.Rows.ContainsKey(id)).Order(StringComparer.Ordinal))
        {
            removed.Add(group, id, before.Rows[id].Size, []);
        }
    }

    private static string? ValueAt(ManifestRow row, int index) => index < 0 ? null : row.Fields[index];
}
