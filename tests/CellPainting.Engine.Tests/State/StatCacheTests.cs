using System.Buffers.Binary;
using System.IO.Hashing;
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

        Assert.That(cache.TryGetHash("/data/x.tif", Stamp, out _), Is.False);
        Assert.That(cache.TryGetHash("/data/x.tif", newer, out string hash), Is.True);
        Assert.That(hash, Is.EqualTo(HashB));
    }

    [Test]
    public void Entries_survive_Save_and_Load()
    {
        string folder = temp.PathOf("state", "stat-cache");
        StatCache cache = StatCache.Load(folder);
        cache.Record("/data/x.tif", Stamp, HashA);
        cache.Record("/data/ÿ é.tif", Stamp with { Inode = ulong.MaxValue }, HashB);
        cache.Record("/other/x.tif", Stamp, HashB);
        cache.Save();

        StatCache reloaded = StatCache.Load(folder);

        Assert.That(reloaded.TryGetHash("/data/x.tif", Stamp, out string first), Is.True);
        Assert.That(first, Is.EqualTo(HashA));
        Assert.That(reloaded.TryGetHash("/data/ÿ é.tif", Stamp with { Inode = ulong.MaxValue }, out string second), Is.True);
        Assert.That(second, Is.EqualTo(HashB));
        Assert.That(reloaded.TryGetHash("/other/x.tif", Stamp, out string third), Is.True);
        Assert.That(third, Is.EqualTo(HashB));
    }

    [Test]
    public void Each_directory_is_kept_in_a_shard_file_of_its_own()
    {
        string folder = temp.PathOf("stat-cache");
        StatCache cache = StatCache.Load(folder);
        cache.Record("/data/a/x.tif", Stamp, HashA);
        cache.Record("/data/a/y.tif", Stamp, HashA);
        cache.Record("/data/b/x.tif", Stamp, HashB);

        cache.Save();

        Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(2));
    }

    [Test]
    public void A_change_in_one_directory_rewrites_that_directory_s_shard_alone()
    {
        string folder = temp.PathOf("stat-cache");
        StatCache first = StatCache.Load(folder);
        first.Record("/data/a/x.tif", Stamp, HashA);
        first.Record("/data/b/x.tif", Stamp, HashA);
        first.Save();
        Dictionary<string, FileStamp> before = Stamps(folder);

        StatCache second = StatCache.Load(folder);
        second.TryGetHash("/data/a/x.tif", Stamp, out _);
        second.Record("/data/b/x.tif", Stamp, HashB);
        second.Save();

        Dictionary<string, FileStamp> after = Stamps(folder);
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys));
        Assert.That(after.Count(pair => pair.Value != before[pair.Key]), Is.EqualTo(1), "shards rewritten");
        Assert.That(StatCache.Load(folder).TryGetHash("/data/a/x.tif", Stamp, out string a), Is.True);
        Assert.That(a, Is.EqualTo(HashA));
    }

    [Test]
    public void A_missing_cache_folder_loads_empty()
    {
        StatCache cache = StatCache.Load(temp.PathOf("nothing-here"));

        Assert.That(cache.TryGetHash("/data/x.tif", Stamp, out _), Is.False);
    }

    [TestCase(new byte[] { })]
    [TestCase(new byte[] { 0x00 })]
    [TestCase(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [TestCase(new byte[] { 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0x01, 0x00, 0x00, 0x00 })]
    public void A_garbage_shard_loads_empty(byte[] content)
    {
        string shard = SavedShard(out string folder);
        File.WriteAllBytes(shard, content);

        Assert.That(StatCache.Load(folder).TryGetHash("/data/x.tif", Stamp, out _), Is.False);
    }

    [Test]
    public void A_shard_cut_short_anywhere_loads_empty()
    {
        string shard = SavedShard(out string folder);
        byte[] whole = File.ReadAllBytes(shard);
        Assume.That(StatCache.Load(folder).TryGetHash("/data/x.tif", Stamp, out _), Is.True);

        var loadedSomething = new List<int>();
        for (int length = 0; length < whole.Length; length++)
        {
            File.WriteAllBytes(shard, whole[..length]);
            if (StatCache.Load(folder).TryGetHash("/data/x.tif", Stamp, out _))
            {
                loadedSomething.Add(length);
            }
        }

        Assert.That(loadedSomething, Is.Empty, "lengths that loaded an entry from a cut-short shard");
    }

    [Test]
    public void A_shard_with_any_byte_flipped_loads_empty()
    {
        string shard = SavedShard(out string folder);
        byte[] whole = File.ReadAllBytes(shard);

        var loadedSomething = new List<int>();
        for (int position = 0; position < whole.Length; position++)
        {
            byte[] flipped = whole.ToArray();
            flipped[position] ^= 0x01;
            File.WriteAllBytes(shard, flipped);
            // A flip inside the stamp would only turn a hit into a miss: so record another file of the directory
            // and save; a shard that kept the damaged entry comes out holding two entries, longer than one.
            StatCache reloaded = StatCache.Load(folder);
            reloaded.Record("/data/y.tif", Stamp, HashA);
            reloaded.Save();
            if (reloaded.TryGetHash("/data/x.tif", Stamp, out _) || new FileInfo(shard).Length != whole.Length)
            {
                loadedSomething.Add(position);
            }
        }

        Assert.That(loadedSomething, Is.Empty, "positions whose flipped byte still loaded an entry");
    }

    [Test]
    public void A_shard_of_another_format_version_loads_empty_even_with_a_valid_checksum()
    {
        string shard = SavedShard(out string folder);
        byte[] content = File.ReadAllBytes(shard);
        int version = Array.IndexOf(content, (byte)'\n') - 1;
        Assume.That(content[version], Is.EqualTo((byte)'2'));
        content[version] = (byte)'3';
        BinaryPrimitives.WriteUInt64LittleEndian(content.AsSpan(content.Length - 8), XxHash3.HashToUInt64(content.AsSpan(0, content.Length - 8)));
        File.WriteAllBytes(shard, content);

        Assert.That(StatCache.Load(folder).TryGetHash("/data/x.tif", Stamp, out _), Is.False);
    }

    [Test]
    public void A_shard_with_bytes_after_its_checksum_loads_empty()
    {
        string shard = SavedShard(out string folder);
        File.AppendAllText(shard, "junk");

        Assert.That(StatCache.Load(folder).TryGetHash("/data/x.tif", Stamp, out _), Is.False);
    }

    [Test]
    public void A_damaged_shard_is_replaced_by_the_next_Save()
    {
        string shard = SavedShard(out string folder);
        File.WriteAllBytes(shard, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        StatCache cache = StatCache.Load(folder);

        cache.Record("/data/x.tif", Stamp, HashA);
        cache.Save();

        Assert.That(StatCache.Load(folder).TryGetHash("/data/x.tif", Stamp, out string hash), Is.True);
        Assert.That(hash, Is.EqualTo(HashA));
    }

    [Test]
    public void Recording_something_that_is_not_a_sha256_is_refused()
    {
        StatCache cache = StatCache.InMemory();

        Assert.Throws<ArgumentException>(() => cache.Record("/data/x.tif", Stamp, "abc"));
        Assert.Throws<ArgumentException>(() => cache.Record("/data/x.tif", Stamp, new string('g', 64)));
    }

    [Test]
    public void Save_without_changes_writes_nothing()
    {
        string shard = SavedShard(out string folder);
        FileStamp before = FileStatReader.TryRead(shard)!.Value;

        StatCache second = StatCache.Load(folder);
        second.Record("/data/x.tif", Stamp, HashA); // the same entry again is no change
        second.Save();

        Assert.That(FileStatReader.TryRead(shard), Is.EqualTo(before), "a rewrite would have given the file a new inode");
    }

    [Test]
    public void Save_of_a_fresh_cache_without_entries_creates_no_file()
    {
        string folder = temp.PathOf("stat-cache");
        StatCache cache = StatCache.Load(folder);
        cache.TryGetHash("/data/x.tif", Stamp, out _);

        cache.Save();

        Assert.That(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any(), Is.False);
    }

    [Test]
    public void Save_after_a_change_rewrites_the_shard()
    {
        string shard = SavedShard(out string folder);
        FileStamp before = FileStatReader.TryRead(shard)!.Value;

        StatCache second = StatCache.Load(folder);
        second.Record("/data/x.tif", Stamp, HashB);
        second.Save();

        Assert.That(FileStatReader.TryRead(shard), Is.Not.EqualTo(before));
        Assert.That(StatCache.Load(folder).TryGetHash("/data/x.tif", Stamp, out string hash), Is.True);
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

    private static Dictionary<string, FileStamp> Stamps(string folder) =>
        Directory.GetFiles(folder).ToDictionary(file => file, file => FileStatReader.TryRead(file)!.Value, StringComparer.Ordinal);

    /// <summary>Saves a cache holding /data/x.tif (stamp, hash A); returns its one shard file.</summary>
    private string SavedShard(out string folder)
    {
        folder = temp.PathOf("state", "stat-cache");
        StatCache cache = StatCache.Load(folder);
        cache.Record("/data/x.tif", Stamp, HashA);
        cache.Save();
        return Directory.GetFiles(folder).Single();
    }
}
