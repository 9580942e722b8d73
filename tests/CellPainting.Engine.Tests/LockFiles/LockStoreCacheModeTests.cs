using System.Text;
using CellPainting.Engine.Caching;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

/// <summary><see cref="LockStore"/> with <see cref="ManifestMode.Cache"/>: the lock file as committed, the manifests by digest in local state and the cache.</summary>
public sealed class LockStoreCacheModeTests
{
    private TempDirectory temp = null!;
    private CopyStage stage = null!;

    private string CacheRoot => temp.PathOf("cache");

    [SetUp]
    public void CreateCache()
    {
        temp = new TempDirectory();
        Directory.CreateDirectory(CacheRoot);
        stage = new CopyStage([]) { RecipeVersion = 3, Parameters = new([KeyValuePair.Create("sigma", "1.5")]) };
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private static BuildRecord Record(string itemId, string group, string version = "1") => LockedRecords.Record(itemId, group, version);

    private static readonly BuildRecord[] Records = [Record("site-01", "plate-A"), Record("site-02", "plate-B"), Record("site-03", "plate-A")];

    private ManifestStore Manifests(string machine, CacheMode mode = CacheMode.ReadWrite, ICacheStore? cache = null) =>
        new(temp.PathOf(machine, "state", "manifests"), cache ?? new FolderCacheStore(CacheRoot), mode);

    private LockStore Store(string machine, ManifestMode mode = ManifestMode.Cache, CacheMode cacheMode = CacheMode.ReadWrite) =>
        new(temp.PathOf(machine, "data.lock.json"), Manifests(machine, cacheMode), mode);

    private static string CacheKeyOf(byte[] manifest) => ItemCache.BlobKey(ContentHash.Of(manifest));

    [Test]
    public void The_lock_has_the_digests_a_committed_lock_has_and_says_where_the_manifests_are()
    {
        LockStore committed = Store("commit", ManifestMode.Commit);
        LockStore cached = Store("cache");

        committed.Record(stage, Records);
        cached.Record(stage, Records);

        Assert.That(File.ReadAllText(cached.LockPath), Is.EqualTo(LockText.WithManifestsInCache(File.ReadAllText(committed.LockPath))));
        Assert.That(Directory.Exists(cached.ManifestDirectory), Is.False, "no .d folder");
    }

    [Test]
    public void Each_manifest_goes_to_local_state_and_to_the_cache_under_its_sha256()
    {
        LockStore store = Store("a");

        store.Record(stage, Records);

        foreach (GroupLock group in store.Load().Targets["copy"].Groups.Values)
        {
            string sha256 = group.Digest["sha256:".Length..];
            byte[] local = File.ReadAllBytes(store.Manifests!.PathOf(sha256));
            Assert.That(ItemManifest.DigestOf(local), Is.EqualTo(group.Digest));
            Assert.That(File.ReadAllBytes(Path.Combine([CacheRoot, .. ItemCache.BlobKey(sha256).Split('/')])), Is.EqualTo(local));
        }
    }

    [Test]
    public void A_manifest_is_in_the_cache_before_the_lock_names_it()
    {
        string lockPath = temp.PathOf("a", "data.lock.json");
        var watching = new LockWatchingCacheStore(CacheRoot, lockPath);
        var store = new LockStore(lockPath, Manifests("a", cache: watching), ManifestMode.Cache);

        store.Record(stage, Records);
        store.Record(stage, [.. Records, Record("site-04", "plate-B")]);

        Assert.That(watching.Puts, Has.Count.EqualTo(3), "plate-A and plate-B, then plate-B again with its new item");
        Assert.That(watching.Puts.Select(put => put.LockNamedIt), Is.All.False);
    }

    [Test]
    public void Recording_in_cache_mode_removes_the_manifests_a_committed_lock_left_for_that_target()
    {
        Store("a", ManifestMode.Commit).Record(stage, Records);
        LockStore store = Store("a");

        store.Record(stage, Records);

        Assert.That(Directory.Exists(store.ManifestDirectory), Is.False);
        Assert.That(store.ReadManifest("copy", "plate-A"), Is.EqualTo(Encoding.UTF8.GetString(ItemManifest.Serialize([Records[0], Records[2]]))));
    }

    [Test]
    public void A_group_that_could_not_be_listed_keeps_its_committed_manifest_where_it_is()
    {
        Store("a", ManifestMode.Commit).Record(stage, Records);
        LockStore store = Store("a");

        store.Record(stage, [Records[0], Records[2]], unlisted: ["plate-B"]);

        Assert.That(File.Exists(store.ManifestPath("copy", "plate-B")), Is.True, "the only copy of plate-B's manifest");
        Assert.That(File.Exists(store.ManifestPath("copy", "plate-A")), Is.False);
        Assert.That(store.ReadManifest("copy", "plate-B"), Is.EqualTo(Encoding.UTF8.GetString(ItemManifest.Serialize([Records[1]]))));
    }

    [Test]
    public void A_fresh_machine_with_only_the_lock_file_reads_the_manifests_from_the_cache()
    {
        LockStore builder = Store("a");
        builder.Record(stage, Records);
        Directory.CreateDirectory(temp.PathOf("b"));
        File.Copy(builder.LockPath, temp.PathOf("b", "data.lock.json"));

        // Configured to commit, but the lock says its manifests are in the cache: they are looked for there.
        LockStore fresh = Store("b", ManifestMode.Commit, CacheMode.Read);

        Assert.That(fresh.ReadManifest("copy", "plate-B"), Is.EqualTo(Encoding.UTF8.GetString(ItemManifest.Serialize([Records[1]]))));
        Assert.That(Directory.Exists(temp.PathOf("b", "state")), Is.False, "reading writes nothing to local state");
    }

    [Test]
    public void A_manifest_neither_local_state_nor_the_cache_has_is_an_error_naming_the_digest_and_every_place_looked()
    {
        LockStore builder = Store("a", cacheMode: CacheMode.Read);
        builder.Record(stage, Records);
        string digest = builder.Load().Targets["copy"].Groups["plate-B"].Digest;
        string sha256 = digest["sha256:".Length..];
        File.Delete(builder.Manifests!.PathOf(sha256));

        var thrown = Assert.Throws<LockFileException>(() => builder.ReadManifest("copy", "plate-B"));

        Assert.That(thrown!.Message, Is.EqualTo(
            $"data.lock.d/copy/plate-B.tsv: missing, but data.lock.json lists copy/plate-B (manifest {digest}); " +
            $"also looked in local state {builder.Manifests.PathOf(sha256)} (missing), cache {CacheRoot}/cas/{sha256[..2]}/{sha256} (missing)."));
    }

    [Test]
    public void Manifests_in_the_cache_need_a_manifest_store()
    {
        Assert.Throws<ArgumentException>(() => _ = new LockStore(temp.PathOf("data.lock.json"), null, ManifestMode.Cache));
    }
}
