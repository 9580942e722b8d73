using CellPainting.Engine.State;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.State;

public sealed class FolderHandlesTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void Files_of_one_folder_get_the_stamps_their_paths_give()
    {
        string[] paths = new[] { "a.tiff", "b.tiff", "é ü.tiff" }.Select(name => temp.Write(Path.Combine("Images", name), name)).ToArray();
        using var folders = new FolderHandles();

        Assert.That(paths.Select(folders.TryRead), Is.EqualTo(paths.Select(FileStatReader.TryRead)));
        Assert.That(paths.Select(folders.TryRead), Is.All.Not.Null);
    }

    [Test]
    public void A_missing_file_a_folder_and_a_path_below_a_file_have_no_stamp()
    {
        string file = temp.Write(Path.Combine("Images", "a.tiff"), "a");
        Directory.CreateDirectory(temp.PathOf("Images", "sub"));
        using var folders = new FolderHandles();

        Assert.That(folders.TryRead(temp.PathOf("Images", "missing.tiff")), Is.Null);
        Assert.That(folders.TryRead(temp.PathOf("Images", "sub")), Is.Null);
        Assert.That(folders.TryRead(Path.Combine(file, "child.tiff")), Is.Null);
        Assert.That(folders.TryRead(temp.PathOf("no-such-folder", "a.tiff")), Is.Null);
    }

    [Test]
    public void A_file_changed_while_its_folder_is_held_is_read_as_it_is_now()
    {
        string path = temp.Write(Path.Combine("out", "site.pt"), "first");
        using var folders = new FolderHandles();
        FileStamp before = folders.TryRead(path)!.Value;

        File.WriteAllText(path + ".tmp", "second, longer");
        File.Move(path + ".tmp", path, overwrite: true);

        Assert.That(folders.TryRead(path), Is.Not.EqualTo(before));
        Assert.That(folders.TryRead(path), Is.EqualTo(FileStatReader.TryRead(path)));
    }

    [Test]
    public void A_folder_missing_when_first_asked_about_is_still_read_once_it_exists()
    {
        string path = temp.PathOf("tensors", "BR1", "r01c01f01.pt");
        using var folders = new FolderHandles();
        Assert.That(folders.TryRead(path), Is.Null);

        temp.Write(Path.Combine("tensors", "BR1", "r01c01f01.pt"), "written");

        Assert.That(folders.TryRead(path), Is.EqualTo(FileStatReader.TryRead(path)).And.Not.Null);
    }

    [Test]
    public void Threads_reading_files_of_the_same_folders_each_get_their_own_file_s_stamp()
    {
        string[] paths = Enumerable.Range(0, 200).Select(index => temp.Write(Path.Combine($"plate-{index % 4}", $"file-{index}"), new string('x', index))).ToArray();
        using var folders = new FolderHandles();

        FileStamp?[] read = new FileStamp?[paths.Length];
        Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, index => read[index] = folders.TryRead(paths[index]));

        Assert.That(read, Is.EqualTo(paths.Select(FileStatReader.TryRead)));
    }

    [Test]
    public void Dispose_closes_every_folder_it_opened()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("folders are held open on Linux only");
        }

        string[] paths = Enumerable.Range(0, 20).Select(index => temp.Write(Path.Combine($"folder-{index}", "file"), "x")).ToArray();
        var folders = new FolderHandles();
        foreach (string path in paths)
        {
            folders.TryRead(path);
        }

        Assert.That(OpenUnderTemp(), Is.EqualTo(paths.Length), "each folder is held open");
        folders.Dispose();

        Assert.That(OpenUnderTemp(), Is.Zero);
    }

    /// <summary>This process's open descriptors of anything under the test's folder.</summary>
    private int OpenUnderTemp() =>
        Directory.GetFileSystemEntries("/proc/self/fd").Count(fd => new FileInfo(fd).LinkTarget?.StartsWith(temp.Root, StringComparison.Ordinal) == true);
}
