using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Execution;

public sealed class ItemBuildContextTests
{
    private TempDirectory temp = null!;
    private WorkItem item = null!;
    private StatCache cache = null!;
    private ItemBuildContext context = null!;

    [SetUp]
    public void CreateContext()
    {
        temp = new TempDirectory();
        string input = temp.Write("in.txt", "input bytes");
        item = new WorkItem(
            "site-01",
            "plate-A",
            [new ItemInput("in", input)],
            [new ItemOutput("mask", temp.PathOf("out", "mask.bin")), new ItemOutput("cells", temp.PathOf("out", "cells.csv"))]);
        cache = StatCache.InMemory();
        ResolvedInputs inputs = new InputResolver(cache).Resolve(item);
        context = new ItemBuildContext(item, inputs, cache, new ItemScratch());
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void An_output_is_written_to_its_declared_path_and_its_hash_and_stamp_are_remembered()
    {
        context.WriteOutput("mask", stream => stream.Write("mask bytes"u8));

        string path = temp.PathOf("out", "mask.bin");
        Assert.That(File.ReadAllText(path), Is.EqualTo("mask bytes"));
        Assert.That(cache.TryGetHash(path, FileStatReader.TryRead(path)!.Value, out string hash), Is.True);
        Assert.That(hash, Is.EqualTo(ContentHash.OfText("mask bytes")));
    }

    [Test]
    public void Written_outputs_are_listed_in_declaration_order_whatever_order_they_were_written_in()
    {
        context.WriteOutput("cells", stream => stream.Write("cells"u8));
        context.WriteOutput("mask", stream => stream.Write("mask"u8));

        Assert.That(context.WrittenOutputs(), Is.EqualTo(new[]
        {
            new HashedName("mask", ContentHash.OfText("mask")),
            new HashedName("cells", ContentHash.OfText("cells")),
        }));
    }

    [Test]
    public void An_output_written_twice_is_listed_with_its_last_content()
    {
        context.WriteOutput("mask", stream => stream.Write("first"u8));
        context.WriteOutput("mask", stream => stream.Write("second"u8));
        context.WriteOutput("cells", stream => stream.Write("cells"u8));

        Assert.That(context.WrittenOutputs()[0], Is.EqualTo(new HashedName("mask", ContentHash.OfText("second"))));
        Assert.That(File.ReadAllText(temp.PathOf("out", "mask.bin")), Is.EqualTo("second"));
    }

    [Test]
    public void A_declared_output_left_unwritten_is_an_error()
    {
        context.WriteOutput("mask", stream => stream.Write("mask"u8));

        var thrown = Assert.Throws<InvalidOperationException>(() => context.WrittenOutputs());

        Assert.That(thrown!.Message, Is.EqualTo("Stage did not write output 'cells' of item site-01."));
    }

    [Test]
    public void Writing_an_undeclared_output_is_an_error_and_writes_nothing()
    {
        var thrown = Assert.Throws<ArgumentException>(() => context.WriteOutput("extra", stream => stream.Write("x"u8)));

        Assert.That(thrown!.Message, Does.StartWith("Item site-01 declares no output named 'extra'."));
        Assert.That(Directory.Exists(temp.PathOf("out")), Is.False);
    }

    [Test]
    public void Inputs_are_read_through_the_resolved_inputs()
    {
        Assert.That(context.ReadInput("in", bytes => bytes.ToArray()), Is.EqualTo("input bytes"u8.ToArray()));
    }
}
