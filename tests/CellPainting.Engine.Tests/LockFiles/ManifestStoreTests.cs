using System.Text;
using CellPainting.Engine.Caching;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class ManifestStoreTests
{
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("# item\tfingerprint\toutputs\nsite-01\tf1\tout=h1\n");
    private static readonly string Sha256 = ContentHash.Of(Manifest);

    private TempDirectory temp = null!;

    private string CacheRoot => temp.PathOf("cache");

    private string CacheBlob => Path.Combine([CacheRoot, .. ItemCache.BlobKey(Sha256).Split('/')]);

    private string LocalFolder => temp.PathOf("state", "manifests");

    [SetUp]
    public void CreateCache()
    {
        temp = new TempDirectory();
        Directory.CreateDirectory(CacheRoot);
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private ManifestStore Store(CacheMode mode, string? cacheRoot = null) => new(LocalFolder, new FolderCacheStore(cacheRoot ?? CacheRoot), mode);

    private string[] Pending() => Directory.Exists(Path.Combine(LocalFolder, "pending")) ? Directory.GetFiles(Path.Combine(LocalFolder, "pending")).Select(Path.GetFileName).OfType<string>().ToArray() : [];

    [Test]
    public void A_kept_manifest_is_copied_into_local_state_under_its_sha256_and_marked_pending()
    {
        ManifestStore store = Store(CacheMode.ReadWrite);

        store.Keep(Manifest);

        Assert.That(File.ReadAllBytes(store.PathOf(Sha256)), Is.EqualTo(Manifest));
        Assert.That(store.PathOf(Sha256), Is.EqualTo(Path.Combine(LocalFolder, Sha256[..2], Sha256)));
        Assert.That(Pending(), Is.EqualTo(new[] { Sha256 }));
        Assert.That(File.Exists(CacheBlob), Is.False, "uploads wait for UploadPending");
    }

    [Test]
    public void A_read_write_store_uploads_pending_manifests_as_cache_blobs_and_clears_their_marks()
    {
        ManifestStore store = Store(CacheMode.ReadWrite);
        store.Keep(Manifest);

        store.UploadPending();

        Assert.That(File.ReadAllBytes(CacheBlob), Is.EqualTo(Manifest));
        Assert.That(Pending(), Is.Empty);
        Assert.That(store.TakeNotes(), Is.Empty);
    }

    [Test]
    public void Read_mode_keeps_manifests_pending_and_a_later_read_write_run_uploads_them()
    {
        ManifestStore reader = Store(CacheMode.Read);
        reader.Keep(Manifest);
        reader.UploadPending();
        Assert.That((File.Exists(CacheBlob), Pending()), Is.EqualTo((false, new[] { Sha256 })), "read mode never writes to the cache");

        Store(CacheMode.ReadWrite).UploadPending();

        Assert.That(File.ReadAllBytes(CacheBlob), Is.EqualTo(Manifest));
        Assert.That(Pending(), Is.Empty);
    }

    [Test]
    public void An_unreachable_cache_keeps_every_manifest_pending_with_one_warning()
    {
        byte[] other = Encoding.UTF8.GetBytes("# item\tfingerprint\toutputs\nsite-02\tf2\tout=h2\n");
        string missing = temp.PathOf("unmounted");
        ManifestStore store = Store(CacheMode.ReadWrite, missing);

        store.Keep(Manifest);
        store.UploadPending();
        store.Keep(other);
        store.UploadPending();

        IReadOnlyList<string> notes = store.TakeNotes();
        Assert.That(notes, Has.Count.EqualTo(1));
        Assert.That(notes[0], Does.StartWith($"warning: cache {missing} is unreachable (cache folder {missing} does not exist); 1 lock manifest(s) stay pending in {Path.Combine(LocalFolder, "pending")}"));
        Assert.That(Pending(), Is.EquivalentTo(new[] { Sha256, ContentHash.Of(other) }), "no manifest is lost");
        Assert.That(File.ReadAllBytes(store.PathOf(Sha256)), Is.EqualTo(Manifest));
    }

    [Test]
    public void Keeping_a_manifest_kept_before_writes_nothing_and_asks_the_cache_nothing()
    {
        Store(CacheMode.ReadWrite).Keep(Manifest);
        Store(CacheMode.ReadWrite).UploadPending();
        DateTime written = File.GetLastWriteTimeUtc(Store(CacheMode.ReadWrite).PathOf(Sha256));
        Directory.Delete(CacheRoot, recursive: true); // any request now fails, and would be noted

        ManifestStore again = Store(CacheMode.ReadWrite);
        again.Keep(Manifest);
        again.UploadPending();

        Assert.That(again.TakeNotes(), Is.Empty);
        Assert.That(Pending(), Is.Empty);
        Assert.That(File.GetLastWriteTimeUtc(again.PathOf(Sha256)), Is.EqualTo(written));
    }

    [Test]
    public void A_damaged_local_copy_is_written_again_and_uploaded_when_kept_again()
    {
        ManifestStore store = Store(CacheMode.ReadWrite);
        store.Keep(Manifest);
        File.WriteAllText(store.PathOf(Sha256), "rot");
        store.UploadPending();
        Assert.That(store.TakeNotes().Single(), Does.Contain("is damaged; not uploaded"));

        store.Keep(Manifest);
        store.UploadPending();

        Assert.That(File.ReadAllBytes(CacheBlob), Is.EqualTo(Manifest));
        Assert.That(Pending(), Is.Empty);
    }

    [Test]
    public void As_places_to_look_it_offers_its_local_copies_then_the_cache_each_named_by_digest()
    {
        var request = new ManifestRequest(new GroupKey("copy", "plate-A"), ItemManifest.DigestOf(Manifest));
        IReadOnlyList<IManifestPlace> places = Store(CacheMode.Read).Places;

        Assert.That(places.Select(place => place.NameOf(request)), Is.EqualTo(new[]
        {
            $"local state {Path.Combine(LocalFolder, Sha256[..2], Sha256)}",
            $"cache {CacheRoot}/cas/{Sha256[..2]}/{Sha256}",
        }));
        Assert.That(new ManifestStore(LocalFolder, null, CacheMode.Off).Places, Has.Count.EqualTo(1), "without a cache, local state only");
    }
}
