using CellPainting.Engine.Caching;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class LockMergeTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private LockStore Store(string name) => new(temp.PathOf(name, "data.lock.json"));

    private FileLockSnapshot Snapshot(string name) => FileLockSnapshot.Open(temp.PathOf(name, "data.lock.json"), name + "/data.lock.json");

    /// <summary>The lock's files under a folder, by relative path: what "byte-identical" is checked on.</summary>
    private Dictionary<string, byte[]> Files(string name) =>
        Directory.EnumerateFiles(temp.PathOf(name), "*", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(temp.PathOf(name), path), File.ReadAllBytes);

    private static GroupContent Objects(string manifest, int items) =>
        new(System.Text.Encoding.UTF8.GetBytes("# key\tetag\n" + manifest), items, new Dictionary<string, string> { ["url"] = "s3://bucket/" });

    [Test]
    public void Shards_of_disjoint_groups_merge_into_the_lock_of_one_build_byte_for_byte()
    {
        // The full build: the fixture's head lock; each shard holds some of its groups, and both the shared ones.
        LockDiffFixture.WriteHead(Store("full"));
        LockFile full = Store("full").Load();
        foreach ((string shard, string[] keep) in new[] { ("shard-a", new[] { "plate-A", "plate-B" }), ("shard-b", new[] { "plate-C" }) })
        {
            LockStore store = Store(shard);
            foreach ((string target, TargetLock section) in full.Targets)
            {
                IReadOnlyList<GroupKey> keys = section.Groups.Keys.Where(group => keep.Contains(group) || !group.StartsWith("plate-", StringComparison.Ordinal))
                    .Select(group => new GroupKey(target, group)).ToArray();
                IReadOnlyList<byte[]> manifests = Snapshot("full").ReadManifests(keys);
                store.Record(target, section.RecipeVersion, section.Parameters, keys.Zip(manifests).ToDictionary(
                    pair => pair.First.Group,
                    pair => new GroupContent(pair.Second, section.Groups[pair.First.Group].Items, section.Groups[pair.First.Group].Attributes)));
            }
        }

        IReadOnlyList<MergedTarget> merged = LockMerge.Into(Store("merged"), [Snapshot("shard-b"), Snapshot("shard-a")]);

        Assert.That(merged.Select(target => target.Name), Is.EqualTo(full.Targets.Keys));
        Assert.That(Files("merged"), Is.EqualTo(Files("full")));
    }

    [Test]
    public void Committed_shard_locks_merge_into_a_lock_whose_manifests_are_in_the_cache_with_the_same_digests()
    {
        Store("shard-a").Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["plate-1"] = Objects("k\te1\n", 1) });
        Store("shard-b").Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["plate-2"] = Objects("k\te2\n", 1) });
        Directory.CreateDirectory(temp.PathOf("cache"));
        var manifests = new ManifestStore(temp.PathOf("state", "manifests"), new FolderCacheStore(temp.PathOf("cache")), CacheMode.ReadWrite);
        var merged = new LockStore(temp.PathOf("merged", "data.lock.json"), manifests, ManifestMode.Cache);

        LockMerge.Into(merged, [Snapshot("shard-a"), Snapshot("shard-b")]);
        LockMerge.Into(Store("committed"), [Snapshot("shard-a"), Snapshot("shard-b")]);

        Assert.That(File.ReadAllText(merged.LockPath), Is.EqualTo(LockText.WithManifestsInCache(File.ReadAllText(Store("committed").LockPath))));
        Assert.That(Directory.Exists(merged.ManifestDirectory), Is.False);
        Assert.That(merged.ReadManifest("download", "plate-2"), Is.EqualTo("# key\tetag\nk\te2\n"));
    }

    [Test]
    public void Merging_replaces_the_merged_targets_and_keeps_the_others()
    {
        Store("target").Record("other", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["g"] = Objects("k\te\n", 1) });
        Store("target").Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["old"] = Objects("k\te\n", 1) });
        Store("shard").Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["new"] = Objects("k\te2\n", 1) });

        LockMerge.Into(Store("target"), [Snapshot("shard")]);

        LockFile result = Store("target").Load();
        Assert.That(result.Targets.Keys, Is.EqualTo(new[] { "download", "other" }));
        Assert.That(result.Targets["download"].Groups.Keys, Is.EqualTo(new[] { "new" }));
        Assert.That(File.Exists(Store("target").ManifestPath("download", "old")), Is.False);
    }

    [Test]
    public void Conflicting_recipes_parameters_and_groups_are_all_named_and_nothing_is_written()
    {
        Store("a").Record("tensors", 1, new Dictionary<string, string> { ["size"] = "224" }, new Dictionary<string, GroupContent> { ["plate-1"] = Objects("k\te1\n", 1) });
        Store("b").Record("tensors", 2, new Dictionary<string, string> { ["size"] = "384", ["mode"] = "fast" }, new Dictionary<string, GroupContent> { ["plate-2"] = Objects("k\te2\n", 1) });
        Store("a").Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["meta"] = Objects("k\te1\n", 1) });
        Store("b").Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["meta"] = Objects("k\te2\n", 1) });

        var thrown = Assert.Throws<LockConflictException>(() => LockMerge.Into(Store("merged"), [Snapshot("a"), Snapshot("b")]));

        Assert.That(thrown!.Conflicts, Has.Count.EqualTo(4));
        Assert.That(thrown.Conflicts[0], Does.StartWith("download/meta: differs between a/data.lock.json and b/data.lock.json (digest sha256:"));
        Assert.That(thrown.Conflicts.Skip(1), Is.EqualTo(new[]
        {
            "tensors: recipe 1 in a/data.lock.json but 2 in b/data.lock.json",
            "tensors: parameter mode is absent in a/data.lock.json but 'fast' in b/data.lock.json",
            "tensors: parameter size is '224' in a/data.lock.json but '384' in b/data.lock.json",
        }));
        Assert.That(thrown.Message, Does.StartWith("the locks cannot be merged:\n  download/meta: differs"));
        Assert.That(Directory.Exists(temp.PathOf("merged")), Is.False);
    }

    [Test]
    public void A_group_in_several_shards_merges_when_it_is_identical_there()
    {
        foreach (string shard in new[] { "a", "b" })
        {
            Store(shard).Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["meta"] = Objects("k\te\n", 1), [shard] = Objects("k\te\n", 1) });
        }

        IReadOnlyList<MergedTarget> merged = LockMerge.Of([Snapshot("a"), Snapshot("b")]);

        Assert.That(merged.Single().Groups.Keys, Is.EqualTo(new[] { "a", "b", "meta" }));
    }

    private static GroupContent Sites(params string[] lines) =>
        new(System.Text.Encoding.UTF8.GetBytes(ItemManifest.Header + "\n" + string.Concat(lines.Select(line => line + "\n"))), lines.Length, new Dictionary<string, string>());

    [Test]
    public void A_group_split_across_shards_merges_into_the_manifest_of_one_build()
    {
        string[] lines = ["p1/s1\tf1\tout=h1", "p1/s2\tf2\tout=h2", "p1/s3\tf3\tout=h3"];
        Store("full").Record("tensors", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["p1"] = Sites(lines) });
        Store("a").Record("tensors", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["p1"] = Sites(lines[2], lines[0]) });
        Store("b").Record("tensors", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["p1"] = Sites(lines[1]) });

        LockMerge.Into(Store("merged"), [Snapshot("b"), Snapshot("a")]);

        Assert.That(Files("merged"), Is.EqualTo(Files("full")));
        Assert.That(Store("merged").Load().Targets["tensors"].Groups["p1"].Items, Is.EqualTo(3));
    }

    [Test]
    public void Shards_of_a_split_group_that_disagree_on_an_item_or_an_attribute_conflict_naming_them()
    {
        Store("a").Record("tensors", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["p1"] = Sites("p1/s1\tf1\tout=h1", "p1/s2\tf2\tout=h2") });
        Store("b").Record("tensors", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["p1"] = Sites("p1/s2\tOTHER\tout=h2", "p1/s3\tf3\tout=h3") });
        Store("a").Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["meta"] = Objects("k1\te1\n", 1) });
        Store("b").Record("download", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent> { ["meta"] = new(System.Text.Encoding.UTF8.GetBytes("# key\tetag\nk2\te2\n"), 1, new Dictionary<string, string> { ["url"] = "s3://other/" }) });

        var thrown = Assert.Throws<LockConflictException>(() => LockMerge.Of([Snapshot("a"), Snapshot("b")]));

        Assert.That(thrown!.Conflicts, Has.Count.EqualTo(2));
        Assert.That(thrown.Conflicts[0], Does.StartWith("download/meta: differs between a/data.lock.json and b/data.lock.json (digest sha256:").And.EndWith("): its attributes differ"));
        Assert.That(thrown.Conflicts[1], Does.StartWith("tensors/p1: differs between a/data.lock.json and b/data.lock.json").And.EndWith("): 1 item(s) differ: p1/s2"));
    }
}
