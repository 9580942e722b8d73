using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Sharding;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class ShardLockFolderTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private ShardLockFolder Folder() => new(temp.PathOf("shards", "Sites"), "data.lock.json");

    private static void RecordOne(LockStore store, string group) =>
        store.Record("tensors", 1, new Dictionary<string, string>(), new Dictionary<string, GroupContent>
        {
            [group] = new(System.Text.Encoding.UTF8.GetBytes(ItemManifest.Header + "\n" + group + "/s1\tf\tout=h\n"), 1, new Dictionary<string, string>()),
        });

    private static string[] Entries(string directory) =>
        Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(directory, path)).Order(StringComparer.Ordinal).ToArray();

    [Test]
    public void A_shard_lock_appears_only_when_published_with_its_manifests()
    {
        StagedShardLock staged = Folder().Begin(new Shard(2, 4));
        RecordOne(staged.Store, "p2");

        Assert.That(File.Exists(Folder().LockPathOf(new Shard(2, 4))), Is.False);
        staged.Publish();

        Assert.That(Entries(temp.PathOf("shards", "Sites")), Is.EqualTo(new[]
        {
            "shard-2-of-4", "shard-2-of-4/data.lock.d", "shard-2-of-4/data.lock.d/tensors", "shard-2-of-4/data.lock.d/tensors/p2.tsv", "shard-2-of-4/data.lock.json",
        }));
    }

    [Test]
    public void A_killed_task_leaves_no_lock_and_the_next_run_starts_from_what_it_left()
    {
        StagedShardLock first = Folder().Begin(new Shard(1, 2));
        RecordOne(first.Store, "p1");
        first.Publish();

        StagedShardLock killed = Folder().Begin(new Shard(1, 2));
        RecordOne(killed.Store, "p9");

        Assert.That(Directory.Exists(temp.PathOf("shards", "Sites", "shard-1-of-2")), Is.False, "no lock while the shard runs or after it was killed");
        StagedShardLock again = Folder().Begin(new Shard(1, 2));
        Assert.That(again.Store.Load().Targets["tensors"].Groups.Keys, Is.EqualTo(new[] { "p9" }));
        Assert.That(Directory.GetDirectories(temp.PathOf("shards", "Sites")), Has.Length.EqualTo(1), "the killed run's folder is taken over, not copied");
        again.Publish();
        Assert.That(Folder().CompleteSet, Throws.TypeOf<LockFileException>().With.Message.Contains("shard-2-of-2 missing"));
    }

    [Test]
    public void A_run_starts_from_the_published_lock_and_drops_older_leftovers()
    {
        StagedShardLock killed = Folder().Begin(new Shard(1, 1));
        RecordOne(killed.Store, "old");
        StagedShardLock first = Folder().Begin(new Shard(1, 1));
        RecordOne(first.Store, "p1");
        first.Publish();
        Directory.CreateDirectory(temp.PathOf("shards", "Sites", "shard-1-of-1" + CellPainting.Engine.IO.AtomicFile.TemporaryMarker + $"1-{Guid.NewGuid():N}"));

        StagedShardLock again = Folder().Begin(new Shard(1, 1));

        Assert.That(again.Store.Load().Targets["tensors"].Groups.Keys, Is.EqualTo(new[] { "p1" }));
        Assert.That(Directory.GetDirectories(temp.PathOf("shards", "Sites")), Has.Length.EqualTo(1));
    }

    [Test]
    public void The_complete_set_is_every_shard_of_one_count_in_order()
    {
        foreach (int index in new[] { 3, 1, 2 })
        {
            StagedShardLock staged = Folder().Begin(new Shard(index, 3));
            RecordOne(staged.Store, $"p{index}");
            staged.Publish();
        }

        Assert.That(Folder().CompleteSet().Select(path => Path.GetRelativePath(Folder().Directory, path)), Is.EqualTo(new[]
        {
            "shard-1-of-3/data.lock.json", "shard-2-of-3/data.lock.json", "shard-3-of-3/data.lock.json",
        }));
    }

    [Test]
    public void A_missing_shard_or_mixed_counts_are_errors_naming_them()
    {
        foreach (Shard shard in new[] { new Shard(1, 3), new Shard(3, 3) })
        {
            StagedShardLock staged = Folder().Begin(shard);
            RecordOne(staged.Store, "p");
            staged.Publish();
        }

        Assert.That(Assert.Throws<LockFileException>(() => Folder().CompleteSet())!.Message, Does.EndWith("shard-2-of-3 missing (2 of 3 shards finished); re-run those tasks."));
        StagedShardLock other = Folder().Begin(new Shard(1, 2));
        RecordOne(other.Store, "p");
        other.Publish();
        Assert.That(Assert.Throws<LockFileException>(() => Folder().CompleteSet())!.Message, Does.Contain("holds shard locks of 2 shards and 3 shards"));
        Assert.That(Assert.Throws<LockFileException>(() => new ShardLockFolder(temp.PathOf("none"), "data.lock.json").CompleteSet())!.Message, Does.Contain("no such shard lock folder"));
    }
}
