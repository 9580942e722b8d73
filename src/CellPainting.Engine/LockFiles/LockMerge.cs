using System.Text;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// Merges locks built on several machines from disjoint shards of one dataset (plates, say) into the lock one build
/// of everything would have written. A target in several shards must have the same recipe and parameters; a group
/// in several shards must be identical there, or hold disjoint items of one group (a plate split across shards when
/// there are fewer plates than shards), whose manifest lines are then merged: an item in several shards must have
/// the same line, and the group the same attributes and manifest header. Anything else is a conflict, and nothing
/// is written.
/// </summary>
public static class LockMerge
{
    /// <summary>
    /// Merges the shards and records every merged target in <paramref name="store"/>, replacing those sections. A
    /// shard's manifests not committed beside it are looked up where the store keeps its own (local state, the cache).
    /// </summary>
    public static IReadOnlyList<MergedTarget> Into(LockStore store, IReadOnlyList<LockSnapshot> shards)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(shards);
        bool elsewhere = store.Mode == ManifestMode.Cache || shards.Any(shard => shard.Lock.Manifests == ManifestMode.Cache);
        IReadOnlyList<MergedTarget> merged = Of(shards, elsewhere ? store.Manifests?.Places : null);
        foreach (MergedTarget target in merged)
        {
            store.Record(target.Name, target.RecipeVersion, target.Parameters, target.Groups);
        }

        return merged;
    }

    /// <param name="elsewhere">Where to look for manifests the shard locks have not committed beside them.</param>
    public static IReadOnlyList<MergedTarget> Of(IReadOnlyList<LockSnapshot> shards, IReadOnlyList<IManifestPlace>? elsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var conflicts = new List<string>();
        var owners = new Dictionary<LockSnapshot, List<GroupKey>>();
        var plans = new List<(string Name, LockSnapshot First, SortedDictionary<string, LockSnapshot> Groups)>();
        var unions = new Dictionary<GroupKey, (GroupContent Content, string Holders)>();
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
                    else if (unions.ContainsKey(new GroupKey(target, group)) || !Same(owner.Lock.Targets[target].Groups[group], content))
                    {
                        var key = new GroupKey(target, group);
                        (GroupContent Content, string Holders) sofar = unions.TryGetValue(key, out var union)
                            ? union
                            : (ContentOf(owner, key, elsewhere), owner.Name);
                        if (Union(key, sofar, holder, conflicts, elsewhere) is { } merged)
                        {
                            unions[key] = merged;
                        }
                    }
                }
            }

            plans.Add((target, first, groups));
            foreach ((string group, LockSnapshot owner) in groups.Where(pair => !unions.ContainsKey(new GroupKey(target, pair.Key))))
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
            foreach ((GroupKey key, byte[] manifest) in keys.Zip(owner.ReadManifests(keys, elsewhere)))
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
                var key = new GroupKey(plan.Name, group);
                GroupLock recorded = owner.Lock.Targets[plan.Name].Groups[group];
                groups[group] = unions.TryGetValue(key, out var union) ? union.Content : new GroupContent(manifests[(owner, key)], recorded.Items, recorded.Attributes);
            }

            return new MergedTarget(plan.Name, reference.RecipeVersion, reference.Parameters, groups);
        }).ToArray();
    }

    private static GroupContent ContentOf(LockSnapshot holder, GroupKey key, IReadOnlyList<IManifestPlace>? elsewhere)
    {
        GroupLock recorded = holder.Lock.Targets[key.Target].Groups[key.Group];
        return new GroupContent(holder.ReadManifests([key], elsewhere)[0], recorded.Items, recorded.Attributes);
    }

    /// <summary>
    /// The group's manifest merged line by line with <paramref name="holder"/>'s, or null with the conflicts added:
    /// the first column is the item, and an item in both must have the same line.
    /// </summary>
    private static (GroupContent Content, string Holders)? Union(GroupKey key, (GroupContent Content, string Holders) sofar, LockSnapshot holder, List<string> conflicts, IReadOnlyList<IManifestPlace>? elsewhere)
    {
        GroupLock other = holder.Lock.Targets[key.Target].Groups[key.Group];
        string prefix = $"{key.Target}/{key.Group}: differs between {sofar.Holders} and {holder.Name} (digest {ItemManifest.DigestOf(sofar.Content.Manifest)} vs {other.Digest})";
        (string[] header, SortedDictionary<string, string> lines) = Lines(sofar.Content.Manifest);
        (string[] otherHeader, SortedDictionary<string, string> otherLines) = Lines(holder.ReadManifests([key], elsewhere)[0]);
        var reasons = new List<string>();
        if (!sofar.Content.Attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal).SequenceEqual(other.Attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal)))
        {
            reasons.Add("its attributes differ");
        }

        if (!header.SequenceEqual(otherHeader))
        {
            reasons.Add("its manifest headers differ");
        }

        string[] differing = otherLines.Where(pair => lines.TryGetValue(pair.Key, out string? line) && line != pair.Value).Select(pair => pair.Key).ToArray();
        if (differing.Length > 0)
        {
            reasons.Add($"{differing.Length} item(s) differ: {string.Join(", ", differing.Take(5))}{(differing.Length > 5 ? ", …" : string.Empty)}");
        }

        if (reasons.Count > 0)
        {
            conflicts.Add($"{prefix}: {string.Join("; ", reasons)}");
            return null;
        }

        foreach ((string item, string line) in otherLines)
        {
            lines.TryAdd(item, line);
        }

        byte[] manifest = Encoding.UTF8.GetBytes(string.Concat(header.Concat(lines.Values).Select(line => line + "\n")));
        return (new GroupContent(manifest, lines.Count, sofar.Content.Attributes), $"{sofar.Holders}, {holder.Name}");
    }

    /// <summary>A manifest's '#' header lines and its item lines by item (the first tab-separated field).</summary>
    private static (string[] Header, SortedDictionary<string, string> Lines) Lines(byte[] manifest)
    {
        string[] rows = Encoding.UTF8.GetString(manifest).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string row in rows.Where(row => !row.StartsWith('#')))
        {
            int tab = row.IndexOf('\t', StringComparison.Ordinal);
            lines[tab < 0 ? row : row[..tab]] = row;
        }

        return (rows.Where(row => row.StartsWith('#')).ToArray(), lines);
    }

    private static string Show(string? value) => value is null ? "absent" : $"'{value}'";

    private static bool Same(GroupLock one, GroupLock other) =>
        one.Items == other.Items
        && one.Digest == other.Digest
        && one.Attributes.Count == other.Attributes.Count
        && one.Attributes.All(pair => other.Attributes.TryGetValue(pair.Key, out string? value) && value == pair.Value);
}
