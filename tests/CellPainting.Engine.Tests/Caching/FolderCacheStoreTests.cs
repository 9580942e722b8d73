using System.Security.Cryptography;
using CellPainting.Engine.Caching;
using CellPainting.Engine.IO;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Caching;

public sealed class FolderCacheStoreTests
{
    private TempDirectory temp = null!;
    private FolderCacheStore store = null!;

    [SetUp]
    public void CreateStore()
    {
        temp = new TempDirectory();
        Directory.CreateDirectory(temp.PathOf("cache"));
        store = new FolderCacheStore(temp.PathOf("cache"));
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void A_key_never_put_is_absent()
    {
        Assert.Multiple(() =>
        {
            Assert.That(store.TryGet("ac/00/missing"), Is.Null);
            Assert.That(store.Exists("ac/00/missing"), Is.False);
        });
    }

    [Test]
    public void What_is_put_under_a_key_is_got_back_and_lies_in_a_file_of_that_path()
    {
        store.Put("cas/ab/abc", [1, 2, 3]);

        Assert.Multiple(() =>
        {
            Assert.That(store.TryGet("cas/ab/abc"), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(store.Exists("cas/ab/abc"), Is.True);
            Assert.That(File.ReadAllBytes(temp.PathOf("cache", "cas", "ab", "abc")), Is.EqualTo(new byte[] { 1, 2, 3 }));
        });
    }

    [Test]
    public void A_missing_root_makes_the_store_unavailable_and_is_not_created()
    {
        var gone = new FolderCacheStore(temp.PathOf("unmounted"));

        Assert.Multiple(() =>
        {
            Assert.That(gone.Probe, Throws.TypeOf<CacheUnavailableException>().With.Message.Contains("unmounted"));
            Assert.That(() => gone.TryGet("ac/00/x"), Throws.TypeOf<CacheUnavailableException>());
            Assert.That(() => gone.Put("ac/00/x", [1]), Throws.TypeOf<CacheUnavailableException>());
            Assert.That(Directory.Exists(temp.PathOf("unmounted")), Is.False);
        });
    }

    [TestCase("../outside")]
    [TestCase("ac//x")]
    [TestCase("/etc/passwd")]
    public void A_key_that_could_leave_the_root_is_refused(string key)
    {
        Assert.That(() => store.Put(key, [1]), Throws.ArgumentException);
    }

    [Test]
    public void Two_writers_of_one_key_at_once_leave_one_whole_object_and_no_temporary_file()
    {
        byte[] first = RandomNumberGenerator.GetBytes(1 << 20);
        byte[] second = RandomNumberGenerator.GetBytes(1 << 20);
        var other = new FolderCacheStore(temp.PathOf("cache"));
        using var stop = new CancellationTokenSource();
        var seen = new List<byte[]>();
        Task reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (store.TryGet("ac/ff/key") is { } content)
                {
                    seen.Add(content);
                }
            }
        });

        Parallel.For(0, 40, round => (round % 2 == 0 ? store : other).Put("ac/ff/key", round % 2 == 0 ? first : second));
        stop.Cancel();
        reader.Wait();

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.Not.Empty);
            Assert.That(seen, Has.All.Matches<byte[]>(content => content.AsSpan().SequenceEqual(first) || content.AsSpan().SequenceEqual(second)));
            Assert.That(Directory.EnumerateFiles(temp.PathOf("cache", "ac", "ff")).Select(Path.GetFileName), Is.EqualTo(new[] { "key" }));
            Assert.That(Directory.EnumerateFiles(temp.PathOf("cache"), "*", SearchOption.AllDirectories).Any(path => AtomicFile.IsTemporaryName(Path.GetFileName(path))), Is.False);
        });
    }
}
