using System.Text;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Planning;

public sealed class InputResolverTests
{
    private TempDirectory temp = null!;
    private WorkItem item = null!;
    private string left = null!;
    private string right = null!;

    [SetUp]
    public void CreateInputs()
    {
        temp = new TempDirectory();
        left = temp.Write("in/left.txt", "left content");
        right = temp.Write("in/right.txt", "right content");
        item = new WorkItem("site-01", "plate-A", [new ItemInput("left", left), new ItemInput("right", right)], [new ItemOutput("out", temp.PathOf("out.txt"))]);
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void Inputs_are_hashed_in_declaration_order_and_remembered_in_the_stat_cache()
    {
        StatCache cache = StatCache.InMemory();

        ResolvedInputs resolved = new InputResolver(cache).Resolve(item);

        Assert.That(resolved.Hashes, Is.EqualTo(new[]
        {
            new HashedName("left", ContentHash.OfText("left content")),
            new HashedName("right", ContentHash.OfText("right content")),
        }));
        Assert.That(cache.TryGetHash(left, FileStatReader.TryRead(left)!.Value, out string cached), Is.True);
        Assert.That(cached, Is.EqualTo(ContentHash.OfText("left content")));
    }

    [Test]
    public void An_input_whose_stamp_is_cached_is_not_read()
    {
        StatCache cache = StatCache.InMemory();
        string planted = ContentHash.OfText("what the cache says");
        cache.Record(left, FileStatReader.TryRead(left)!.Value, planted);

        ResolvedInputs resolved = new InputResolver(cache).Resolve(item);

        // Reading the file would have given the hash of "left content".
        Assert.That(resolved.Hashes[0], Is.EqualTo(new HashedName("left", planted)));
    }

    [Test]
    public void Bytes_read_while_resolving_are_handed_to_the_build_without_reading_again()
    {
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(item);
        File.Delete(left);

        Assert.That(resolved.Read("left", bytes => Encoding.UTF8.GetString(bytes)), Is.EqualTo("left content"));
    }

    [Test]
    public void An_input_read_twice_is_read_from_its_file_the_second_time()
    {
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(item);
        Assert.That(resolved.Read("left", bytes => Encoding.UTF8.GetString(bytes)), Is.EqualTo("left content"));

        File.Delete(left);

        var thrown = Assert.Throws<ItemFailedException>(() => resolved.Read("left", bytes => bytes.Length));
        Assert.That(thrown!.Message, Is.EqualTo($"input left vanished: {left}"));
    }

    [Test]
    public void Bytes_read_to_hash_an_input_the_build_never_asked_for_are_released()
    {
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(item);

        resolved.Release();
        File.Delete(left);

        var thrown = Assert.Throws<ItemFailedException>(() => resolved.Read("left", bytes => bytes.Length));
        Assert.That(thrown!.Message, Is.EqualTo($"input left vanished: {left}"));
    }

    [Test]
    public void An_input_known_from_the_cache_is_read_at_build_time_and_checked_against_its_hash()
    {
        ResolvedInputs resolved = ResolvedWithLeftInTheStatCache();

        Assert.That(resolved.Read("left", bytes => Encoding.UTF8.GetString(bytes)), Is.EqualTo("left content"));
    }

    [Test]
    public void An_input_that_changed_since_it_was_hashed_fails_the_item_at_build_time()
    {
        ResolvedInputs resolved = ResolvedWithLeftInTheStatCache();
        File.WriteAllText(left, "left content, edited");

        var thrown = Assert.Throws<ItemFailedException>(() => resolved.Read("left", bytes => bytes.Length));

        Assert.That(thrown!.Message, Is.EqualTo($"input left changed during the build: {left}"));
    }

    [Test]
    public void An_input_that_vanished_before_the_build_fails_the_item()
    {
        ResolvedInputs resolved = ResolvedWithLeftInTheStatCache();
        File.Delete(left);

        var thrown = Assert.Throws<ItemFailedException>(() => resolved.Read("left", bytes => bytes.Length));

        Assert.That(thrown!.Message, Is.EqualTo($"input left vanished: {left}"));
    }

    [Test]
    public void Asking_for_an_input_the_item_does_not_have_is_an_error()
    {
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(item);

        Assert.Throws<ArgumentException>(() => resolved.Read("middle", bytes => bytes.Length));
    }

    [Test]
    public void A_missing_input_fails_the_item_with_its_name_and_path()
    {
        File.Delete(right);

        var thrown = Assert.Throws<ItemFailedException>(() => new InputResolver(StatCache.InMemory()).Resolve(item));

        Assert.That(thrown!.Message, Is.EqualTo($"input right is missing: {right}"));
    }

    [Test]
    public void An_absent_input_with_a_recorded_digest_stands_by_it_and_nothing_is_fetched()
    {
        (WorkItem remoteItem, FakeRemoteInput[] sources) = RemoteItem(recorded: true);

        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(remoteItem);

        Assert.Multiple(() =>
        {
            Assert.That(resolved.IsComplete, Is.True);
            Assert.That(resolved.Hashes.Select(hash => hash.Hash), Is.EqualTo(new[] { ContentHash.OfText("remote left"), ContentHash.OfText("remote right") }));
            Assert.That(sources.Sum(source => source.Fetches), Is.Zero);
        });
    }

    [Test]
    public void An_absent_input_whose_digest_nobody_recorded_is_unknown_until_fetched()
    {
        (WorkItem remoteItem, FakeRemoteInput[] sources) = RemoteItem(recorded: false);

        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(remoteItem);
        Assert.Multiple(() =>
        {
            Assert.That(resolved.IsComplete, Is.False);
            Assert.That(resolved.Unknown, Is.EqualTo(new[] { "left", "right" }));
            Assert.That(sources.Sum(source => source.Fetches), Is.Zero);
        });

        resolved.FetchUnknown();

        Assert.Multiple(() =>
        {
            Assert.That(resolved.IsComplete, Is.True);
            Assert.That(resolved.Hashes[1], Is.EqualTo(new HashedName("right", ContentHash.OfText("remote right"))));
            Assert.That(resolved.Read("left", bytes => Encoding.UTF8.GetString(bytes)), Is.EqualTo("remote left"));
            Assert.That(sources.Select(source => source.Fetches), Is.EqualTo(new[] { 1, 1 }), "the bytes fetched to learn the digest serve the build");
        });
    }

    [Test]
    public void Reading_one_remote_input_fetches_all_of_the_items_remote_inputs_once()
    {
        (WorkItem remoteItem, FakeRemoteInput[] sources) = RemoteItem(recorded: true);
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(remoteItem);

        string left = resolved.Read("left", bytes => Encoding.UTF8.GetString(bytes));
        string right = resolved.Read("right", bytes => Encoding.UTF8.GetString(bytes));

        Assert.Multiple(() =>
        {
            Assert.That((left, right), Is.EqualTo(("remote left", "remote right")));
            Assert.That(sources.Select(source => source.Fetches), Is.EqualTo(new[] { 1, 1 }));
            Assert.That(File.Exists(remoteItem.Inputs[0].Path), Is.False, "a remote input not kept locally stays in memory");
        });
    }

    [Test]
    public void A_remote_input_that_does_not_hash_to_its_recorded_digest_fails_the_item_and_is_not_placed()
    {
        (WorkItem remoteItem, FakeRemoteInput[] sources) = RemoteItem(recorded: true, keepLocal: true);
        sources[0].Serves = Encoding.UTF8.GetBytes("tampered!!!");
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(remoteItem);

        var thrown = Assert.Throws<ItemFailedException>(() => resolved.Read("left", bytes => bytes.Length));

        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Message, Is.EqualTo($"input left: bucket/left has SHA-256 {ContentHash.OfText("tampered!!!")}, not the {ContentHash.OfText("remote left")} recorded for it; nothing was built from it"));
            Assert.That(File.Exists(remoteItem.Inputs[0].Path), Is.False);
        });
    }

    [Test]
    public void A_remote_input_of_another_size_than_listed_fails_the_item()
    {
        (WorkItem remoteItem, FakeRemoteInput[] sources) = RemoteItem(recorded: false);
        sources[1].Serves = Encoding.UTF8.GetBytes("short");
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(remoteItem);

        var thrown = Assert.Throws<ItemFailedException>(resolved.FetchUnknown);

        Assert.That(thrown!.Message, Is.EqualTo("input right: bucket/right gave 5 bytes where its listing says 12"));
    }

    [Test]
    public void A_remote_input_kept_locally_is_placed_at_its_path_and_its_hash_remembered()
    {
        (WorkItem remoteItem, _) = RemoteItem(recorded: true, keepLocal: true);
        StatCache cache = StatCache.InMemory();
        ResolvedInputs resolved = new InputResolver(cache).Resolve(remoteItem);

        resolved.Read("right", bytes => bytes.Length);

        string placed = remoteItem.Inputs[1].Path;
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(placed), Is.EqualTo("remote right"));
            Assert.That(cache.TryGetHash(placed, FileStatReader.TryRead(placed)!.Value, out string hash), Is.True);
            Assert.That(hash, Is.EqualTo(ContentHash.OfText("remote right")));
        });
    }

    [Test]
    public void A_remote_input_that_cannot_be_fetched_fails_the_item_naming_where_it_is()
    {
        (WorkItem remoteItem, FakeRemoteInput[] sources) = RemoteItem(recorded: true);
        sources[0].FailsWith = new IOException("connection refused");
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(remoteItem);

        var thrown = Assert.Throws<ItemFailedException>(() => resolved.Read("left", bytes => bytes.Length));

        Assert.That(thrown!.Message, Is.EqualTo("input left: cannot fetch bucket/left: connection refused"));
    }

    [Test]
    public void A_local_copy_is_preferred_to_the_remote_one()
    {
        var source = new FakeRemoteInput("bucket/left", Encoding.UTF8.GetBytes("remote left"));
        var withLocal = new WorkItem("site-01", "plate-A", [new ItemInput("left", left, source)], [new ItemOutput("out", temp.PathOf("out.txt"))]);

        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(withLocal);

        Assert.Multiple(() =>
        {
            Assert.That(resolved.Hashes[0].Hash, Is.EqualTo(ContentHash.OfText("left content")));
            Assert.That(resolved.Read("left", bytes => Encoding.UTF8.GetString(bytes)), Is.EqualTo("left content"));
            Assert.That(source.Fetches, Is.Zero);
        });
    }

    /// <summary>An item whose two inputs are not on this machine, only in a pretend bucket.</summary>
    private (WorkItem Item, FakeRemoteInput[] Sources) RemoteItem(bool recorded, bool keepLocal = false)
    {
        FakeRemoteInput[] sources =
        [
            new("bucket/left", Encoding.UTF8.GetBytes("remote left"), recorded, keepLocal),
            new("bucket/right", Encoding.UTF8.GetBytes("remote right"), recorded, keepLocal),
        ];
        var remoteItem = new WorkItem(
            "site-02",
            "plate-A",
            [new ItemInput("left", temp.PathOf("absent/left.txt"), sources[0]), new ItemInput("right", temp.PathOf("absent/right.txt"), sources[1])],
            [new ItemOutput("out", temp.PathOf("out2.txt"))]);
        return (remoteItem, sources);
    }

    /// <summary>The item resolved while the stat cache knows left's hash at its stamp: left is not read to resolve it.</summary>
    private ResolvedInputs ResolvedWithLeftInTheStatCache()
    {
        StatCache cache = StatCache.InMemory();
        cache.Record(left, FileStatReader.TryRead(left)!.Value, ContentHash.OfText("left content"));
        return new InputResolver(cache).Resolve(item);
    }
}
