using CellPainting.Engine.Items;
using CellPainting.Engine.State;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.State;

public sealed class ItemStampsTests
{
    private static readonly FileStamp Left = new(10, 1_700_000_000_123_456_789, 42);
    private static readonly FileStamp Right = new(20, 1_700_000_001_000_000_000, 43);
    private static readonly FileStamp Out = new(30, 1_700_000_002_000_000_000, 44);

    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private static WorkItem Item(string left = "left", string right = "right", string folder = "/data") =>
        new("site-01", "plate-A", [new ItemInput(left, $"{folder}/l.txt"), new ItemInput(right, $"{folder}/r.txt")], [new ItemOutput("out", $"{folder}/o.txt")]);

    [Test]
    public void The_digest_of_given_stamps_is_the_one_records_keep()
    {
        // Pinned: a record written with another digest function would never match again (each item a full check once).
        Assert.That(ItemStamps.Of(Item(), [Left, Right], [Out]).ToString("x16"), Is.EqualTo("29bea04b81f814dd"));
    }

    [Test]
    public void Any_size_mtime_or_inode_that_moved_gives_another_digest()
    {
        ulong digest = ItemStamps.Of(Item(), [Left, Right], [Out]);

        Assert.That(ItemStamps.Of(Item(), [Left with { Size = 11 }, Right], [Out]), Is.Not.EqualTo(digest));
        Assert.That(ItemStamps.Of(Item(), [Left, Right with { MtimeNanoseconds = Right.MtimeNanoseconds + 1 }], [Out]), Is.Not.EqualTo(digest));
        Assert.That(ItemStamps.Of(Item(), [Left, Right], [Out with { Inode = 45 }]), Is.Not.EqualTo(digest));
        Assert.That(ItemStamps.Of(Item(), [Right, Left], [Out]), Is.Not.EqualTo(digest), "two inputs swapped");
    }

    [Test]
    public void Renamed_inputs_give_another_digest_and_moved_paths_the_same()
    {
        ulong digest = ItemStamps.Of(Item(), [Left, Right], [Out]);

        Assert.That(ItemStamps.Of(Item(left: "lef", right: "tright"), [Left, Right], [Out]), Is.Not.EqualTo(digest), "names run together differently");
        Assert.That(ItemStamps.Of(Item(folder: "/elsewhere"), [Left, Right], [Out]), Is.EqualTo(digest), "a renamed file keeps its stamp and content");
    }

    [Test]
    public void Read_gives_the_digest_of_the_files_stamps_now_and_null_when_one_is_missing()
    {
        string folder = temp.PathOf("data");
        Directory.CreateDirectory(folder);
        WorkItem item = Item(folder: folder);
        foreach (string path in item.Inputs.Select(input => input.Path))
        {
            File.WriteAllText(path, path);
        }

        using var folders = new FolderHandles();
        Assert.That(ItemStamps.Read(item, folders), Is.Null, "the output is not written yet");
        File.WriteAllText(item.Outputs[0].Path, "out");

        FileStamp[] inputs = item.Inputs.Select(input => FileStatReader.TryRead(input.Path)!.Value).ToArray();
        Assert.That(ItemStamps.Read(item, folders), Is.EqualTo(ItemStamps.Of(item, inputs, [FileStatReader.TryRead(item.Outputs[0].Path)!.Value])));
    }

    [Test]
    public void Stamps_that_do_not_match_the_item_s_files_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ItemStamps.Of(Item(), [Left], [Out]));
    }
}
