using System.Diagnostics;
using System.Globalization;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.State;

public sealed class FileStatReaderTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void A_missing_file_has_no_stamp()
    {
        Assert.That(FileStatReader.TryRead(temp.PathOf("missing.txt")), Is.Null);
    }

    [Test]
    public void A_path_below_a_file_has_no_stamp()
    {
        string file = temp.Write("plain.txt", "x");

        Assert.That(FileStatReader.TryRead(Path.Combine(file, "child.txt")), Is.Null);
    }

    [Test]
    public void A_directory_has_no_stamp()
    {
        Directory.CreateDirectory(temp.PathOf("folder"));

        Assert.That(FileStatReader.TryRead(temp.PathOf("folder")), Is.Null);
    }

    [Test]
    public void The_stamp_holds_the_size_and_the_exact_modification_time()
    {
        string path = temp.Write("x.txt", "twelve bytes");
        var mtime = new DateTime(2021, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(7_891_234);
        File.SetLastWriteTimeUtc(path, mtime);

        FileStamp stamp = FileStatReader.TryRead(path)!.Value;

        Assert.That(stamp.Size, Is.EqualTo(12));
        Assert.That(stamp.MtimeNanoseconds, Is.EqualTo((mtime - DateTime.UnixEpoch).Ticks * 100));
    }

    [Test]
    public void The_stamp_holds_the_inode_that_stat_reports()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("inodes are read only on Linux");
        }

        string path = temp.Write("x.txt", "content");
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        string output = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();

        Assert.That(FileStatReader.TryRead(path)!.Value.Inode, Is.EqualTo(ulong.Parse(output.Trim(), CultureInfo.InvariantCulture)));
    }

    [Test]
    public void The_stamp_is_the_same_when_nothing_changed()
    {
        string path = temp.Write("x.txt", "content");
        FileStamp? first = FileStatReader.TryRead(path);

        File.ReadAllBytes(path); // reading is not changing
        FileStamp? second = FileStatReader.TryRead(path);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void The_stamp_changes_when_the_content_is_rewritten_in_place()
    {
        string path = temp.Write("x.txt", "content");
        FileStamp before = FileStatReader.TryRead(path)!.Value;
        Thread.Sleep(50); // past the file system's timestamp granularity

        File.WriteAllText(path, "CONTENT");
        FileStamp after = FileStatReader.TryRead(path)!.Value;

        Assert.That(after.Inode, Is.EqualTo(before.Inode), "rewritten in place");
        Assert.That(after.Size, Is.EqualTo(before.Size));
        Assert.That(after.MtimeNanoseconds, Is.GreaterThan(before.MtimeNanoseconds));
    }

    [Test]
    public void The_stamp_changes_size_when_content_grows()
    {
        string path = temp.Write("x.txt", "content");
        FileStamp before = FileStatReader.TryRead(path)!.Value;

        File.AppendAllText(path, "more");

        Assert.That(FileStatReader.TryRead(path)!.Value.Size, Is.EqualTo(before.Size + 4));
    }

    [Test]
    public void Replacing_a_file_by_rename_gives_a_different_inode()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("inodes are read only on Linux");
        }

        string path = temp.Write("x.txt", "content");
        FileStamp before = FileStatReader.TryRead(path)!.Value;
        string replacement = temp.Write("x.txt.new", "content");
        File.SetLastWriteTimeUtc(replacement, File.GetLastWriteTimeUtc(path));

        File.Move(replacement, path, overwrite: true);
        FileStamp after = FileStatReader.TryRead(path)!.Value;

        Assert.That(after.Size, Is.EqualTo(before.Size));
        Assert.That(after.Inode, Is.Not.EqualTo(before.Inode));
        Assert.That(after, Is.Not.EqualTo(before));
    }
}
