using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.State;

public sealed class StatCacheTests
{
    private static readonly string HashA = ContentHash.OfText("a");
    private static readonly string HashB = ContentHash.OfText("b");
    private static readonly FileStamp Stamp = new(Size: 10, MtimeNanoseconds: 1_600_000_000_123_456_789, Inode: 42);

    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void A_recorded_hash_is_returned_for_the_same_path_and_stamp()
    {
        StatCache cache = StatCache.InMemory();
        cache.Record("/data/x.tif", Stamp, HashA);

        bool hit = cache.TryGetHash("/data/x.tif", Stamp, out string hash);

        Assert.That(hit, Is.True);
        Assert.That(hash, Is.EqualTo(HashA));
    }

    [Test]
    public void A_different_size_mtime_or_inode_is_a_miss()
    {
        StatCache cache = StatCache.InMemory();
        cache.Record("/data/x.tif", Stamp, HashA);

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGetHash("/data/x.tif", Stamp with { Size = 11 }, out _), Is.False, "size");
            Assert.That(cache.TryGetHash("/data/x.tif", Stamp with { MtimeNanoseconds = Stamp.MtimeNanoseconds + 1 }, out _), Is.False, "mtime");
            Assert.That(cache.TryGetHash("/data/x.tif", Stamp with { Inode = 43 }, out _), Is.False, "inode");
            Assert.That(cache.TryGetHash("/data/y.tif", Stamp, out _), Is.False, "other path");
        });
    }

    [Test]
    public void A_miss_gives_an_empty_hash()
    {
        StatCache cache = StatCache.InMemory();

        cache.TryGetHash("/data/x.tif", Stamp, out string hash);

        Assert.That(hash, Is.Empty);
    }

    [Test]
    public void Recording_a_new_stamp_replaces_the_old_entry()
    {
        StatCache cache = StatCache.InMemory();
        cache.Record("/data/x.tif", Stamp, HashA);
        FileStamp newer = Stamp with { MtimeNanoseconds = Stamp.MtimeNanoseconds + 5 };

        cache.Record("/data/x.tif", newer, HashB);

        Assert.That(cache.Count, Is.EqualTo(1));
        Assert.That(cache.TryGetHash("/data/x.tif", Stamp, out _), Is.False);
        Assert.That(cache.TryGetHash("/data/x.tif", newer, out string hash), Is.True);
        Assert.That(hash, Is.EqualTo(HashB));
    }

    [Test]
    public void Entries_survive_Save_and_Load()
    {
        string path = temp.PathOf("state", "stat-cache.bin");
        StatCache cache = StatCache.Load(path);
        cache.Record("/data/x.tif", Stamp, HashA);
        cache.Record("/data/ÿ é.tif", Stamp with { Inode = ulong.MaxValue }, HashB);
        cache.Save();

        StatCache reloaded = StatCache.Load(path);

        Assert.That(reloaded.Count, Is.EqualTo(2));
        Assert.That(reloaded.TryGetHash("/data/x.tif", Stamp, out string first), Is.True);
        Assert.That(first, Is.EqualTo(HashA));
        Assert.That(reloaded.TryGetHash("/data/ÿ é.tif", Stamp with { Inode = ulong.MaxValue }, out string second), Is.True);
        Assert.That(second, Is.EqualTo(HashB));
    }

    [Test]
    public void A_missing_cache_file_loads_empty()
    {
        StatCache cache = StatCache.Load(temp.PathOf("nothing-here.bin"));

        Assert.That(cache.Count, Is.Zero);
    }

    [TestCase(new byte[] { })]
    [TestCase(new byte[] { 0x00 })]
    [TestCase(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [TestCase(new byte[] { 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0x01, 0x00, 0x00, 0x00 })]
    public void A_garbage_cache_file_loads_empty(byte[] content)
    {
        string path = temp.PathOf("stat-cache.bin");
        File.WriteAllBytes(path, content);

        StatCache cache = StatCache.Load(path);

        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public void A_cache_file_cut_short_anywhere_loads_empty()
    {
        string path = temp.PathOf("stat-cache.bin");
        StatCache cache = StatCache.Load(path);
        cache.Record("/data/x.tif", Stamp, HashA);
        cache.Save();
        byte[] whole = File.ReadAllBytes(path);
        Assume.That(StatCache.Load(path).Count, Is.EqualTo(1));

        var loadedSomething = new List<int>();
        for (int length = 0; length < whole.Length; length++)
        {
            File.WriteAllBytes(path, whole[..length]);
            if (StatCache.Load(path).Count != 0)
            {
                loadedSomething.Add(length);
            }
        }

        Assert.That(loadedSomething, Is.Empty, "lengths that loaded an entry from a cut-short file");
    }

    [Test]
    public void A_cache_file_with_bytes_after_its_last_entry_loads_empty()
    {
        string path = temp.PathOf("stat-cache.bin");
        StatCache cache = StatCache.Load(path);
        cache.Record("/data/x.tif", Stamp, HashA);
        cache.Save();
        File.AppendAllText(path, "junk");

        Assert.That(StatCache.Load(path).Count, Is.Zero);
    }

    [Test]
    public void A_damaged_cache_is_replaced_by_the_next_Save()
    {
        string path = temp.PathOf("stat-cache.bin");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        StatCache cache = StatCache.Load(path);

        cache.Record("/data/x.tif", Stamp, HashA);
        cache.Save();

        Assert.That(StatCache.Load(path).TryGetHash("/data/x.tif", Stamp, out string hash), Is.True);
        Assert.That(hash, Is.EqualTo(HashA));
    }

    [Test]
    public void Save_without_changes_writes_nothing()
    {
        string path = temp.PathOf("stat-cache.bin");
        StatCache first = StatCache.Load(path);
        first.Record("/data/x.tif", Stamp, HashA);
        first.Save();
        FileStamp before = FileStatReader.TryRead(path)!.Value;

        StatCache second = StatCache.Load(path);
        second.Record("/data/x.tif", Stamp, HashA); // the same entry again is no change
        second.Save();

        Assert.That(FileStatReader.TryRead(path), Is.EqualTo(before), "a rewrite would have given the file a new inode");
    }

    [Test]
    public void Save_of_a_fresh_cache_without_entries_creates_no_file()
    {
        string path = temp.PathOf("stat-cache.bin");

        StatCache.Load(path).Save();

        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void Save_after_a_change_rewrites_the_file()
    {
        string path = temp.PathOf("stat-cache.bin");
        StatCache first = StatCache.Load(path);
        first.Record("/data/x.tif", Stamp, HashA);
        first.Save();
        FileStamp before = FileStatReader.TryRead(path)!.Value;

        StatCache second = StatCache.Load(path);
        second.Record("/data/x.tif", Stamp, HashB);
        second.Save();

        Assert.That(FileStatReader.TryRead(path), Is.Not.EqualTo(before));
        Assert.That(StatCache.Load(path).TryGetHash("/data/x.tif", Stamp, out string hash), Is.True);
        Assert.That(hash, Is.EqualTo(HashB));
    }

    [Test]
    public void HashOf_answers_from_the_cache_without_opening_the_file()
    {
        StatCache cache = StatCache.InMemory();
        string absent = temp.PathOf("never-created.tif");
        cache.Record(absent, Stamp, HashA);

        // Opening the file would throw: the hash can only have come from the cache.
        Assert.That(cache.HashOf(absent, Stamp), Is.EqualTo(HashA));
    }

    [Test]
    public void HashOf_reads_and_remembers_a_file_whose_stamp_is_unknown()
    {
        StatCache cache = StatCache.InMemory();
        string path = temp.Write("x.txt", "hello");
        FileStamp stamp = FileStatReader.TryRead(path)!.Value;

        string hash = cache.HashOf(path, stamp);

        Assert.That(hash, Is.EqualTo(ContentHash.OfText("hello")));
        Assert.That(cache.TryGetHash(path, stamp, out string cached), Is.True);
        Assert.That(cached, Is.EqualTo(hash));
    }
}
