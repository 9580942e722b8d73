using System.Text;
using CellPainting.Engine.Caching;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class LockDiffTests
{
    private TempDirectory temp = null!;
    private LockStore baseStore = null!;
    private LockStore headStore = null!;

    [SetUp]
    public void WriteFixture()
    {
        temp = new TempDirectory();
        baseStore = new LockStore(temp.PathOf("base", "data.lock.json"));
        headStore = new LockStore(temp.PathOf("head", "data.lock.json"));
        LockDiffFixture.WriteBase(baseStore);
        LockDiffFixture.WriteHead(headStore);
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private LockDiff Diff() => LockDiff.Between(FileLockSnapshot.Open(baseStore.LockPath, "base/data.lock.json"), FileLockSnapshot.Open(headStore.LockPath, "head/data.lock.json"));

    private static string Golden(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "LockFiles", "Golden", name));

    [Test]
    public void The_markdown_summary_matches_its_golden_file()
    {
        Assert.That(LockDiffMarkdown.Render(Diff()), Is.EqualTo(Golden("lock-diff.md")));
    }

    [Test]
    public void The_json_summary_matches_its_golden_file()
    {
        Assert.That(Encoding.UTF8.GetString(LockDiffJson.Render(Diff())), Is.EqualTo(Golden("lock-diff.json")));
    }

    [Test]
    public void Locks_whose_manifests_are_only_in_the_cache_give_the_same_summary_as_committed_ones()
    {
        Directory.CreateDirectory(temp.PathOf("cache"));
        var writer = new ManifestStore(temp.PathOf("writer-state"), new FolderCacheStore(temp.PathOf("cache")), CacheMode.ReadWrite);
        var cachedBase = new LockStore(temp.PathOf("cached-base", "data.lock.json"), writer, ManifestMode.Cache);
        var cachedHead = new LockStore(temp.PathOf("cached-head", "data.lock.json"), writer, ManifestMode.Cache);
        LockDiffFixture.WriteBase(cachedBase);
        LockDiffFixture.WriteHead(cachedHead);
        // A reader with none of the writer's state: only the two lock files and the cache.
        IReadOnlyList<IManifestPlace> elsewhere = new ManifestStore(temp.PathOf("reader-state"), new FolderCacheStore(temp.PathOf("cache")), CacheMode.Read).Places;

        LockDiff diff = LockDiff.Between(FileLockSnapshot.Open(cachedBase.LockPath, "base/data.lock.json"), FileLockSnapshot.Open(cachedHead.LockPath, "head/data.lock.json"), elsewhere);

        Assert.That(Directory.Exists(temp.PathOf("cached-head", "data.lock.d")), Is.False);
        Assert.That(LockDiffMarkdown.Render(diff), Is.EqualTo(Golden("lock-diff.md")));
    }

    [Test]
    public void Identical_locks_give_the_no_changes_summary()
    {
        LockDiff diff = LockDiff.Between(FileLockSnapshot.Open(headStore.LockPath, "HEAD:data.lock.json"), FileLockSnapshot.Open(headStore.LockPath, "data.lock.json"));

        Assert.That(diff.HasChanges, Is.False);
        Assert.That(LockDiffMarkdown.Render(diff), Is.EqualTo(Golden("lock-diff-unchanged.md")));
    }

    [Test]
    public void Changed_items_are_counted_per_manifest_column_and_sized_where_the_manifest_has_sizes()
    {
        LockDiff diff = Diff();
        TargetDiff copy = diff.Targets.Single(target => target.Name == "copy");
        TargetDiff download = diff.Targets.Single(target => target.Name == "download");

        Assert.Multiple(() =>
        {
            Assert.That(copy.Changed.Count, Is.EqualTo(6));
            Assert.That(copy.Changed.First, Has.Count.EqualTo(LockDiff.SampleSize));
            Assert.That(copy.Changed.Columns, Is.EqualTo(new Dictionary<string, int> { ["fingerprint"] = 6, ["outputs"] = 3 }));
            Assert.That(copy.Changed.Bytes, Is.Null);
            Assert.That(download.Changed.Columns, Is.EqualTo(new Dictionary<string, int> { ["etag"] = 2, ["sha256"] = 2, ["size"] = 1 }));
            Assert.That(download.Changed.Bytes, Is.EqualTo(1500 + 2600));
            Assert.That(download.Added.Bytes, Is.EqualTo(4500 + 1_200_000 + 1_300_000));
            Assert.That(download.Removed.First, Is.EqualTo(new[] { "meta/map.txt" }));
        });
    }

    [Test]
    public void A_diff_reads_only_the_manifests_whose_digests_differ()
    {
        // plate-B's download manifest is the same on both sides, so a broken copy of it is never read.
        File.WriteAllText(headStore.ManifestPath("download", "plate-B"), "not a manifest");

        Assert.That(Diff().HasChanges, Is.True);
    }

    [Test]
    public void A_manifest_that_does_not_match_its_digest_is_an_error_naming_the_file()
    {
        File.AppendAllText(headStore.ManifestPath("copy", "plate-A"), "plate-A/site-99\tf\tout=h\n");

        var thrown = Assert.Throws<LockFileException>(() => Diff());

        Assert.That(thrown!.Message, Does.StartWith("head/data.lock.d/copy/plate-A.tsv: has digest sha256:"));
        Assert.That(thrown.Message, Does.Contain("but head/data.lock.json records sha256:"));
    }

    [Test]
    public void A_manifest_with_a_conflict_marker_is_an_error_naming_the_file_and_line()
    {
        string path = headStore.ManifestPath("copy", "plate-C");
        File.WriteAllText(path, File.ReadAllText(path) + "<<<<<<< HEAD\n");

        var thrown = Assert.Throws<LockFileException>(() => Diff());

        Assert.That(thrown!.Message, Does.StartWith("head/data.lock.d/copy/plate-C.tsv:3: merge-conflict marker"));
    }

    [Test]
    public void A_missing_manifest_is_an_error_naming_it_its_group_and_its_digest()
    {
        string digest = headStore.Load().Targets["splits"].Groups["splits"].Digest;
        File.Delete(headStore.ManifestPath("splits", "splits"));

        var thrown = Assert.Throws<LockFileException>(() => Diff());

        Assert.That(thrown!.Message, Is.EqualTo($"head/data.lock.d/splits/splits.tsv: missing, but head/data.lock.json lists splits/splits (manifest {digest})."));
    }
}
