using CellPainting.Engine.Items;

namespace CellPainting.Engine.Sharding;

/// <summary>
/// A stage seen by one shard: the same name, recipe, parameters and builds, but its plan holds only the shard's part
/// of the partition of the whole plan (computed from the discovered groups and item counts, or pinned by a plan made
/// beforehand). A group's problems and skipped items are reported by the shard holding its first slice, so each is
/// reported once over all shards. The runner sees an ordinary stage: sharding is a plan filter, not a run mode.
/// </summary>
public class ShardedStage : IStage
{
    private readonly Shard shard;
    private readonly ShardPartition? pinned;

    protected ShardedStage(IStage inner, Shard shard, ShardPartition? pinned)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(shard);
        if (pinned is not null && pinned.Count != shard.Count)
        {
            throw new ShardSpecException($"shard {shard}: the shard plan has {pinned.Count} shards, not {shard.Count}.");
        }

        Inner = inner;
        this.shard = shard;
        this.pinned = pinned;
    }

    public IStage Inner { get; }

    public string Name => Inner.Name;

    public int RecipeVersion => Inner.RecipeVersion;

    public StageParameters Parameters => Inner.Parameters;

    /// <summary>Wraps <paramref name="stage"/> for <paramref name="shard"/>; a batch stage stays a batch stage.</summary>
    public static ShardedStage Of(IStage stage, Shard shard, ShardPartition? pinned = null) =>
        stage is IBatchStage batch ? new ShardedBatchStage(batch, shard, pinned) : new ShardedStage(stage, shard, pinned);

    /// <summary>The groups of a plan and their item counts; a group with only problems counts as empty.</summary>
    public static IReadOnlyList<GroupSize> SizesOf(StageItems plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sizes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (WorkItem item in plan.Items)
        {
            sizes[item.Group] = sizes.GetValueOrDefault(item.Group) + 1;
        }

        foreach (ItemProblem problem in plan.Problems.Concat(plan.Skipped))
        {
            sizes.TryAdd(problem.Group, 0);
        }

        return sizes.Select(pair => new GroupSize(pair.Key, pair.Value)).ToArray();
    }

    public StageItems Discover()
    {
        StageItems plan = Inner.Discover();
        IReadOnlyList<GroupSize> sizes = SizesOf(plan);
        ShardPartition partition = pinned ?? ShardPartition.Of(sizes, shard.Count);
        if (pinned is not null && sizes.FirstOrDefault(size => pinned.OwnerOf(size.Group) == 0) is { } unplanned)
        {
            throw new ShardSpecException($"shard {shard}: {Name} lists group {unplanned.Group}, which the shard plan does not; make the plan again.");
        }

        IReadOnlyList<ShardSlice> mine = partition.SlicesOf(shard.Index);
        var slices = mine.GroupBy(slice => slice.Group, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);
        var items = new List<WorkItem>();
        foreach (IGrouping<string, WorkItem> group in plan.Items.GroupBy(item => item.Group, StringComparer.Ordinal))
        {
            if (!slices.TryGetValue(group.Key, out ShardSlice[]? parts))
            {
                continue;
            }

            WorkItem[] ordered = group.OrderBy(item => item.Id, StringComparer.Ordinal).ToArray();
            foreach (ShardSlice part in parts)
            {
                if (part.Whole && pinned is not null)
                {
                    // A pinned plan gives whole groups by name: their current item count does not matter.
                    items.AddRange(ordered);
                }
                else if (part.Of != ordered.Length)
                {
                    throw new ShardSpecException($"shard {shard}: {Name} group {group.Key} has {ordered.Length} items but the shard plan split it as {part.Of}; make the plan again.");
                }
                else
                {
                    items.AddRange(ordered[part.Start..part.End]);
                }
            }
        }

        bool Reports(ItemProblem problem) => partition.OwnerOf(problem.Group) == shard.Index;
        return new StageItems(items, plan.Problems.Where(Reports).ToArray(), plan.Skipped.Where(Reports).ToArray());
    }

    public void Build(WorkItem item, IBuildContext context) => Inner.Build(item, context);
}
