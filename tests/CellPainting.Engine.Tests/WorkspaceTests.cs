using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests;

public sealed class WorkspaceTests
{
    [Test]
    public void A_workspace_creates_its_folder_and_names_its_state_files_inside_it()
    {
        using var temp = new TempDirectory();

        var workspace = new Workspace(temp.PathOf("state"), 4);

        Assert.That(Directory.Exists(temp.PathOf("state")), Is.True);
        Assert.That(workspace.StateDirectory, Is.EqualTo(temp.PathOf("state")));
        Assert.That(workspace.Parallelism, Is.EqualTo(4));
        Assert.That(workspace.LogFolderFor("illum"), Is.EqualTo(temp.PathOf("state", "logs", "illum")));
        Assert.That(Workspace.StatCacheFolderFor(workspace.StateDirectory), Is.EqualTo(temp.PathOf("state", "stat-cache")));
        Assert.That(Workspace.RunLockPathFor(workspace.StateDirectory), Is.EqualTo(temp.PathOf("state", "run.lock")));
    }

    [Test]
    public void A_workspace_loads_the_stat_cache_saved_in_its_folder()
    {
        using var temp = new TempDirectory();
        var stamp = new FileStamp(1, 2, 3);
        var first = new Workspace(temp.PathOf("state"), 1);
        first.StatCache.Record("/x", stamp, ContentHash.OfText("x"));
        first.StatCache.Save();

        var second = new Workspace(temp.PathOf("state"), 1);

        Assert.That(second.StatCache.TryGetHash("/x", stamp, out string hash), Is.True);
        Assert.That(hash, Is.EqualTo(ContentHash.OfText("x")));
    }

    [Test]
    public void A_stat_cache_file_of_the_old_single_file_format_is_deleted()
    {
        using var temp = new TempDirectory();
        string old = temp.Write(Path.Combine("state", "stat-cache.bin"), "cpbuild-statcache-1");

        var workspace = new Workspace(temp.PathOf("state"), 1);

        Assert.That(File.Exists(old), Is.False);
        Assert.That(workspace.StatCache.TryGetHash("/x", new FileStamp(1, 2, 3), out _), Is.False);
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Parallelism_must_be_positive(int parallelism)
    {
        using var temp = new TempDirectory();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Workspace(temp.PathOf("state"), parallelism));
    }
}
