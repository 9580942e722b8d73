using CellPainting.Engine.Cleaning;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Cleaning;

public sealed class OrphanScanTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateFolders()
    {
        temp = new TempDirectory();
        temp.Write("out/plate-A/site-01.bin", "kept");
        temp.Write("out/plate-B/site-02.bin", "orphan");
        temp.Write("out/plate-B/site-03.bin", "orphan too");
        temp.Write("out/plate-A/site-01.bin.tmp-123-0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f", "half written");
        temp.Write("in/site-01.tiff", "an input");
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private OrphanScan Scan(params string[] keep) =>
        OrphanScan.Find([temp.PathOf("out"), temp.PathOf("missing")], keep.Select(path => temp.PathOf(path)));

    [Test]
    public void Files_no_planned_item_uses_are_orphans_and_temporary_files_are_leftovers()
    {
        OrphanScan scan = Scan("out/plate-A/site-01.bin");

        Assert.That(scan.Orphans, Is.EqualTo(new[] { temp.PathOf("out/plate-B/site-02.bin"), temp.PathOf("out/plate-B/site-03.bin") }));
        Assert.That(scan.Leftovers, Is.EqualTo(new[] { temp.PathOf("out/plate-A/site-01.bin.tmp-123-0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f") }));
        Assert.That(scan.Bytes, Is.EqualTo("orphan".Length + "orphan too".Length + "half written".Length));
    }

    [Test]
    public void A_planned_file_is_kept_whatever_folder_it_lies_in()
    {
        temp.Write("out/shared-input.csv", "an input that lives with the outputs");

        OrphanScan scan = Scan("out/plate-A/site-01.bin", "out/shared-input.csv", "out/plate-B/site-02.bin", "out/plate-B/site-03.bin");

        Assert.That(scan.Orphans, Is.Empty);
    }

    [Test]
    public void Nothing_is_deleted_until_Remove_which_prunes_only_the_folders_it_emptied()
    {
        Directory.CreateDirectory(temp.PathOf("out/empty-before"));
        OrphanScan scan = Scan("out/plate-A/site-01.bin");
        Assert.That(File.Exists(temp.PathOf("out/plate-B/site-02.bin")), Is.True);

        scan.Remove();

        Assert.That(Directory.Exists(temp.PathOf("out/plate-B")), Is.False);
        Assert.That(Directory.Exists(temp.PathOf("out/empty-before")), Is.True);
        Assert.That(Directory.EnumerateFiles(temp.PathOf("out"), "*", SearchOption.AllDirectories), Is.EqualTo(new[] { temp.PathOf("out/plate-A/site-01.bin") }));
        Assert.That(File.Exists(temp.PathOf("in/site-01.tiff")), Is.True);
    }

    [Test]
    public void A_root_emptied_by_Remove_stays()
    {
        OrphanScan scan = Scan();

        scan.Remove();

        Assert.That(Directory.Exists(temp.PathOf("out")), Is.True);
        Assert.That(Directory.EnumerateFileSystemEntries(temp.PathOf("out")), Is.Empty);
    }

    [Test]
    public void Input_folders_are_searched_for_temporary_files_only_and_no_folder_of_theirs_is_pruned()
    {
        const string Leftover = "in/sub/site-02.tiff.tmp-77-abcdefabcdefabcdefabcdefabcdefab";
        temp.Write(Leftover, "half an image");
        temp.Write("in/site-03.tiff.tmp-not-ours", "someone else's name");

        OrphanScan scan = OrphanScan.Find([temp.PathOf("out")], [temp.PathOf("out/plate-A/site-01.bin")], [temp.PathOf("in"), temp.PathOf("missing")]);
        scan.Remove();

        Assert.That(scan.Leftovers, Does.Contain(temp.PathOf(Leftover)));
        Assert.That(scan.Orphans, Has.None.StartsWith(temp.PathOf("in")));
        Assert.That(File.Exists(temp.PathOf(Leftover)), Is.False);
        Assert.That(Directory.Exists(temp.PathOf("in/sub")), Is.True, "an input folder stays, emptied or not");
        Assert.That(File.Exists(temp.PathOf("in/site-01.tiff")) && File.Exists(temp.PathOf("in/site-03.tiff.tmp-not-ours")), Is.True);
    }

    [Test]
    public void Links_are_neither_followed_nor_listed()
    {
        Directory.CreateSymbolicLink(temp.PathOf("out/linked-inputs"), temp.PathOf("in"));
        File.CreateSymbolicLink(temp.PathOf("out/plate-A/linked.tiff"), temp.PathOf("in/site-01.tiff"));

        OrphanScan scan = Scan("out/plate-A/site-01.bin");
        scan.Remove();

        Assert.That(scan.Orphans.Where(path => path.Contains("linked", StringComparison.Ordinal)), Is.Empty);
        Assert.That(File.Exists(temp.PathOf("in/site-01.tiff")), Is.True);
    }
}
