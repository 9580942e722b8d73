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

        Assert.That(Encoding.UTF8.GetString(resolved.Read("left")), Is.EqualTo("left content"));
    }

    [Test]
    public void An_input_known_from_the_cache_is_read_at_build_time_and_checked_against_its_hash()
    {
        StatCache cache = StatCache.InMemory();
        cache.Record(left, FileStatReader.TryRead(left)!.Value, ContentHash.OfText("left content"));
        ResolvedInputs resolved = new InputResolver(cache).Resolve(item);

        Assert.That(Encoding.UTF8.GetString(resolved.Read("left")), Is.EqualTo("left content"));
    }

    [Test]
    public void An_input_that_changed_since_it_was_hashed_fails_the_item_at_build_time()
    {
        StatCache cache = StatCache.InMemory();
        cache.Record(left, FileStatReader.TryRead(left)!.Value, ContentHash.OfText("left content"));
        ResolvedInputs resolved = new InputResolver(cache).Resolve(item);
        File.WriteAllText(left, "left content, edited");

        var thrown = Assert.Throws<ItemFailedException>(() => resolved.Read("left"));

        Assert.That(thrown!.Message, Is.EqualTo($"input left changed during the build: {left}"));
    }

    [Test]
    public void An_input_that_vanished_before_the_build_fails_the_item()
    {
        StatCache cache = StatCache.InMemory();
        cache.Record(left, FileStatReader.TryRead(left)!.Value, ContentHash.OfText("left content"));
        ResolvedInputs resolved = new InputResolver(cache).Resolve(item);
        File.Delete(left);

        var thrown = Assert.Throws<ItemFailedException>(() => resolved.Read("left"));

        Assert.That(thrown!.Message, Is.EqualTo($"input left vanished: {left}"));
    }

    [Test]
    public void Asking_for_an_input_the_item_does_not_have_is_an_error()
    {
        ResolvedInputs resolved = new InputResolver(StatCache.InMemory()).Resolve(item);

        Assert.Throws<ArgumentException>(() => resolved.Read("middle"));
    }

    [Test]
    public void A_missing_input_fails_the_item_with_its_name_and_path()
    {
        File.Delete(right);

        var thrown = Assert.Throws<ItemFailedException>(() => new InputResolver(StatCache.InMemory()).Resolve(item));

        Assert.That(thrown!.Message, Is.EqualTo($"input right is missing: {right}"));
    }

    [Test]
    public void A_file_that_changed_after_its_stamp_was_taken_is_not_trusted()
    {
        FileStamp stamp = FileStatReader.TryRead(left)!.Value;
        File.AppendAllText(left, " and more");

        var thrown = Assert.Throws<ItemFailedException>(() => InputResolver.ReadStable(left, stamp));

        Assert.That(thrown!.Message, Is.EqualTo($"{left} changed while it was being read"));
    }
}
