using CellPainting.Engine.Sharding;

namespace CellPainting.Engine.Tests.Sharding;

public sealed class ShardPartitionTests
{
    private static string[][] Groups(ShardPartition partition) =>
        Enumerable.Range(1, partition.Count).Select(index => partition.SlicesOf(index).Select(slice => slice.Group).ToArray()).ToArray();

    [Test]
    public void Whole_groups_go_largest_first_to_the_least_loaded_shard()
    {
        ShardPartition partition = ShardPartition.Of([new("a", 5), new("b", 4), new("c", 3), new("d", 3), new("e", 3)], 2);

        // a 5 → 1; b 4 → 2; c 3 → 2 (4 < 5); d 3 → 1 (5 < 7); e 3 → 2 (7 < 8).
        Assert.That(Groups(partition), Is.EqualTo(new[] { new[] { "a", "d" }, new[] { "b", "c", "e" } }));
        Assert.That(partition.ItemsOf(1) + partition.ItemsOf(2), Is.EqualTo(18));
        Assert.That(partition.SlicesOf(1).All(slice => slice.Whole), Is.True);
    }

    [Test]
    public void Equal_groups_are_dealt_in_name_order_whatever_order_they_are_listed_in()
    {
        GroupSize[] groups = new[] { "p4", "p1", "p3", "p2", "p5" }.Select(name => new GroupSize(name, 7)).ToArray();

        ShardPartition partition = ShardPartition.Of(groups, 2);

        Assert.That(Groups(partition), Is.EqualTo(new[] { new[] { "p1", "p3", "p5" }, new[] { "p2", "p4" } }));
        Assert.That(Groups(ShardPartition.Of(groups.Reverse(), 2)), Is.EqualTo(Groups(partition)));
    }

    [Test]
    public void Fewer_groups_than_shards_cut_the_items_into_near_equal_runs()
    {
        ShardPartition partition = ShardPartition.Of([new("b", 6), new("a", 4)], 3);

        Assert.That(Enumerable.Range(1, 3).Select(index => partition.SlicesOf(index).ToArray()), Is.EqualTo(new[]
        {
            new[] { new ShardSlice("a", 0, 3, 4) },
            new[] { new ShardSlice("a", 3, 4, 4), new ShardSlice("b", 0, 2, 6) },
            new[] { new ShardSlice("b", 2, 6, 6) },
        }));
        Assert.That(partition.OwnerOf("a"), Is.EqualTo(1));
        Assert.That(partition.OwnerOf("b"), Is.EqualTo(2));
    }

    [Test]
    public void Empty_groups_are_assigned_too_so_their_problems_are_reported_once()
    {
        ShardPartition whole = ShardPartition.Of([new("a", 2), new("broken", 0), new("c", 1)], 2);
        ShardPartition cut = ShardPartition.Of([new("a", 2), new("broken", 0)], 3);

        Assert.That(whole.OwnerOf("broken"), Is.Not.Zero);
        Assert.That(cut.OwnerOf("broken"), Is.EqualTo(3));
        Assert.That(cut.OwnerOf("missing"), Is.Zero);
    }

    [Test]
    public void Every_item_is_in_exactly_one_shard_for_any_count()
    {
        GroupSize[] groups = Enumerable.Range(0, 7).Select(index => new GroupSize($"g{index}", (index * 37 % 11) + 1)).ToArray();
        foreach (int shards in new[] { 1, 2, 3, 7, 8, 20, 100 })
        {
            ShardPartition partition = ShardPartition.Of(groups, shards);
            foreach (GroupSize group in groups)
            {
                int[] positions = Enumerable.Range(1, shards).SelectMany(index => partition.SlicesOf(index))
                    .Where(slice => slice.Group == group.Group).SelectMany(slice => Enumerable.Range(slice.Start, slice.Items)).Order().ToArray();
                Assert.That(positions, Is.EqualTo(Enumerable.Range(0, group.Items)), $"{shards} shards, group {group.Group}");
            }
        }
    }

    [Test]
    public void Duplicate_names_or_negative_counts_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ShardPartition.Of([new("a", 1), new("a", 2)], 2));
        Assert.Throws<ArgumentException>(() => ShardPartition.Of([new("a", -1)], 2));
    }
}
