namespace CellPainting.Engine.LockFiles;

/// <summary>
/// Merges locks built on several machines from disjoint shards of one dataset (plates, say) into the lock one build
/// of everything would have written. A target in several shards must have the same recipe and parameters; a group
/// in several shards must be identical there. Anything else is a conflict, and nothing is written.
/// </summary>
public static class LockMerge
{
    /// <summary>Merges the shards and records every merged target in <paramref name="store"/>, replacing those sections.</summary>
    public static IReadOnlyList<MergedTarget> Into(LockStore store, IReadOnlyList<LockSnapshot> shards)
    {
        ArgumentNullException.ThrowIfNull(store);
        IReadOnlyList<MergedTarget> merged = Of(shards);
        foreach (MergedTarget target in merged)
        {
            store.Record(target.Name, target.RecipeVersion, target.Parameters, target.Groups);
        }

        return merged;
    }

    public static IReadOnlyList<MergedTarget> Of(IReadOnlyList<LockSnapshot> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var conflicts = new List<string>();
        var owners = new Dictionary<LockSnapshot, List<GroupKey>>();
        var plans = new List<(string Name, LockSnapshot First, SortedDictionary<string, LockSnapshot> Groups)>();
        foreach (string target in shards.SelectMany(shard => shard.Lock.Targets.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            LockSnapshot[] holders = shards.Where(shard => shard.Lock.Targets.ContainsKey(target)).ToArray();
            LockSnapshot first = holders[0];
            TargetLock reference = first.Lock.Targets[target];
            var groups = new SortedDictionary<string, LockSnapshot>(StringComparer.Ordinal);
            foreach (LockSnapshot holder in holders)
            {
                TargetLock section = holder.Lock.Targets[target];
                if (section.RecipeVersion != reference.RecipeVersion)
                {
                    conflicts.Add($"{target}: recipe {reference.RecipeVersion} in {first.Name} but {section.RecipeVersion} in {holder.Name}");
                }

                foreach (string key in reference.Parameters.Keys.Union(section.Parameters.Keys).Order(StringComparer.Ordinal)
                    .Where(key => reference.Parameters.GetValueOrDefault(key) != section.Parameters.GetValueOrDefault(key)))
                {
                    conflicts.Add($"{target}: parameter {key} is {Show(reference.Parameters.GetValueOrDefault(key))} in {first.Name} but {Show(section.Parameters.GetValueOrDefault(key))} in {holder.Name}");
                }

                foreach ((string group, GroupLock content) in section.Groups)
                {
                    if (!groups.TryGetValue(group, out LockSnapshot? owner))
                    {
                        groups[group] = holder;
                    }
                    else if (!Same(owner.Lock.Targets[target].Groups[group], content))
                    {
                        conflicts.Add($"{target}/{group}: differs between {owner.Name} and {holder.Name} (digest {owner.Lock.Targets[target].Groups[group].Digest} vs {content.Digest})");
                    }
                }
            }

            plans.Add((target, first, groups));
            foreach ((string group, LockSnapshot owner) in groups)
            {
                owners.TryAdd(owner, []);
                owners[owner].Add(new GroupKey(target, group));
            }
        }

        if (conflicts.Count > 0)
        {
            throw new LockConflictException(conflicts);
        }

        var manifests = new Dictionary<(LockSnapshot, GroupKey), byte[]>();
        foreach ((LockSnapshot owner, List<GroupKey> keys) in owners)
        {
            foreach ((GroupKey key, byte[] manifest) in keys.Zip(owner.ReadManifests(keys)))
            {
                manifests[(owner, key)] = manifest;
            }
        }

        return plans.Select(plan =>
        {
            TargetLock reference = plan.First.Lock.Targets[plan.Name];
            var groups = new SortedDictionary<string, GroupContent>(StringComparer.Ordinal);
            foreach ((string group, LockSnapshot owner) in plan.Groups)
            {
                GroupLock recorded = owner.Lock.Targets[plan.Name].Groups[group];
                groups[group] = new GroupContent(manifests[(owner, new GroupKey(plan.Name, group))], recorded.Items, recorded.Attributes);
            }

            return new MergedTarget(plan.Name, reference.RecipeVersion, reference.Parameters, groups);
        }).ToArray();
    }

    private static string Show(string? value) => value is null ? "absent" : $"'{value}'";

    private static bool Same(GroupLock one, GroupLock other) =>
        one.Items == other.Items
        && one.Digest == other.Digest
        && one.Attributes.Count == other.Attributes.Count
        && one.Attributes.All(pair => other.Attributes.TryGetValue(pair.Key, out string? value) && value == pair.Value);
}
