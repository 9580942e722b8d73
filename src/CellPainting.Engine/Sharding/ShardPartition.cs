namespace CellPainting.Engine.Sharding;

/// <summary>
/// A deterministic split of a plan's groups into N shards, balanced by item count: each shard of one plan computes
/// the same partition on its own, so no coordinator is needed. With at least as many groups as shards, whole groups
/// go out largest first, each to the least loaded shard (longest-processing-time greedy; ties by group name, then by
/// lowest shard); with fewer groups than shards, the items in (group, id) order are cut into N near-equal runs.
/// </summary>
public sealed class ShardPartition
{
    private readonly IReadOnlyList<ShardSlice>[] shards;

    public ShardPartition(IReadOnlyList<IReadOnlyList<ShardSlice>> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new ArgumentException("A partition has at least one shard.", nameof(shards));
        }

        this.shards = shards.Select(slices => (IReadOnlyList<ShardSlice>)slices.OrderBy(slice => slice.Group, StringComparer.Ordinal).ThenBy(slice => slice.Start).ToArray()).ToArray();
    }

    public int Count => shards.Length;

    public static ShardPartition Of(IEnumerable<GroupSize> groups, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        GroupSize[] sorted = groups.OrderBy(group => group.Group, StringComparer.Ordinal).ToArray();
        if (sorted.Select(group => group.Group).Distinct(StringComparer.Ordinal).Count() != sorted.Length || sorted.Any(group => group.Items < 0))
        {
            throw new ArgumentException("Groups must have distinct names and non-negative item counts.", nameof(groups));
        }

        var slices = Enumerable.Range(0, shardCount).Select(_ => new List<ShardSlice>()).ToArray();
        if (sorted.Length >= shardCount)
        {
            AssignWholeGroups(sorted, slices);
        }
        else
        {
            CutItems(sorted, slices);
        }

        return new ShardPartition(slices);
    }

    /// <summary>The slices of shard <paramref name="index"/> (1-based), in group order.</summary>
    public IReadOnlyList<ShardSlice> SlicesOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
        return shards[index - 1];
    }

    public int ItemsOf(int index) => SlicesOf(index).Sum(slice => slice.Items);

    /// <summary>The shard (1-based) holding a group's first slice, which also reports the group's problems; 0 when no shard has it.</summary>
    public int OwnerOf(string group)
    {
        for (int index = 0; index < shards.Length; index++)
        {
            if (shards[index].Any(slice => slice.Group == group && slice.Start == 0))
            {
                return index + 1;
            }
        }

        return 0;
    }

    private static void AssignWholeGroups(GroupSize[] groups, List<ShardSlice>[] slices)
    {
        long[] load = new long[slices.Length];
        foreach (GroupSize group in groups.OrderByDescending(group => group.Items).ThenBy(group => group.Group, StringComparer.Ordinal))
        {
            int lightest = 0;
            for (int shard = 1; shard < load.Length; shard++)
            {
                if (load[shard] < load[lightest])
                {
                    lightest = shard;
                }
            }

            load[lightest] += group.Items;
            slices[lightest].Add(new ShardSlice(group.Group, 0, group.Items, group.Items));
        }
    }

    /// <summary>Shard s takes global positions [s·T/N, (s+1)·T/N); an empty group goes with the shard its position falls in.</summary>
    private static void CutItems(GroupSize[] groups, List<ShardSlice>[] slices)
    {
        long total = groups.Sum(group => (long)group.Items);
        int shards = slices.Length;
        long offset = 0;
        foreach (GroupSize group in groups)
        {
            if (group.Items == 0)
            {
                slices[ShardAt(offset, total, shards)].Add(new ShardSlice(group.Group, 0, 0, 0));
                continue;
            }

            for (int shard = 0; shard < shards; shard++)
            {
                long from = Math.Max(offset, BoundaryOf(shard, total, shards));
                long to = Math.Min(offset + group.Items, BoundaryOf(shard + 1, total, shards));
                if (from < to)
                {
                    slices[shard].Add(new ShardSlice(group.Group, (int)(from - offset), (int)(to - offset), group.Items));
                }
            }

            offset += group.Items;
        }
    }

    private static long BoundaryOf(int shard, long total, int shards) => shard * total / shards;

    private static int ShardAt(long position, long total, int shards)
    {
        for (int shard = shards - 1; shard > 0; shard--)
        {
            if (position >= BoundaryOf(shard, total, shards) && BoundaryOf(shard, total, shards) < BoundaryOf(shard + 1, total, shards))
            {
                return shard;
            }
        }

        return 0;
    }
}
