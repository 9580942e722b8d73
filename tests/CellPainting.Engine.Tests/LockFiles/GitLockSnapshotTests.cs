using System.Diagnostics;
using System.Text;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class GitLockSnapshotTests
{
    private TempDirectory temp = null!;
    private string lockPath = string.Empty;

    [SetUp]
    public void CreateRepository()
    {
        temp = new TempDirectory();
        Git("init", "--quiet");
        temp.Write("README.md", "data\n");
        Git("add", ".");
        Git("commit", "--quiet", "-m", "no lock yet");
        // The lock in a subfolder: git names files from the repository's top, the lock's folder is below it.
        lockPath = temp.PathOf("sub", "data.lock.json");
        LockDiffFixture.WriteBase(new LockStore(lockPath));
        Git("add", ".");
        Git("commit", "--quiet", "-m", "base lock");
    }

    [TearDown]
    public void DeleteRepository() => temp.Dispose();

    [Test]
    public void A_diff_against_a_revision_equals_the_diff_against_a_copy_of_the_lock_at_that_revision()
    {
        string copy = temp.PathOf("copy", "data.lock.json");
        LockDiffFixture.WriteBase(new LockStore(copy));
        Directory.Delete(temp.PathOf("sub", "data.lock.d"), recursive: true);
        LockDiffFixture.WriteHead(new LockStore(lockPath));
        FileLockSnapshot head = FileLockSnapshot.Open(lockPath, "sub/data.lock.json");

        GitLockSnapshot baseline = GitLockSnapshot.Open(lockPath, "HEAD");
        LockDiff fromGit = LockDiff.Between(baseline, head);
        LockDiff fromCopy = LockDiff.Between(FileLockSnapshot.Open(copy, baseline.Name), head);

        Assert.That(baseline.Name, Is.EqualTo("HEAD:sub/data.lock.json"));
        Assert.That(fromGit.HasChanges, Is.True);
        Assert.That(Encoding.UTF8.GetString(LockDiffJson.Render(fromGit)), Is.EqualTo(Encoding.UTF8.GetString(LockDiffJson.Render(fromCopy))));
    }

    [Test]
    public void A_revision_without_the_lock_reads_as_an_empty_lock()
    {
        GitLockSnapshot baseline = GitLockSnapshot.Open(lockPath, "HEAD~1");

        Assert.That(baseline.Lock.Targets, Is.Empty);
        Assert.That(LockDiff.Between(baseline, FileLockSnapshot.Open(lockPath, "sub/data.lock.json")).Targets.Select(target => target.Status), Is.All.EqualTo(TargetStatus.Added));
    }

    [Test]
    public void A_committed_manifest_that_does_not_match_the_committed_lock_is_an_error_naming_the_revision_and_file()
    {
        File.AppendAllText(temp.PathOf("sub", "data.lock.d", "copy", "plate-A.tsv"), "plate-A/site-99\tf\tout=h\n");
        Git("commit", "--quiet", "-am", "hand edit");
        LockDiffFixture.WriteHead(new LockStore(lockPath));

        var thrown = Assert.Throws<LockFileException>(() => LockDiff.Between(GitLockSnapshot.Open(lockPath, "HEAD"), FileLockSnapshot.Open(lockPath, "sub/data.lock.json")));

        Assert.That(thrown!.Message, Does.StartWith("HEAD:sub/data.lock.d/copy/plate-A.tsv: has digest sha256:"));
    }

    [Test]
    public void An_unknown_revision_is_an_error_naming_it()
    {
        var thrown = Assert.Throws<LockFileException>(() => GitLockSnapshot.Open(lockPath, "no-such-branch"));

        Assert.That(thrown!.Message, Does.StartWith("'no-such-branch' is neither a lock file nor a commit of the git repository at "));
    }

    [Test]
    public void A_lock_outside_any_repository_cannot_be_read_at_a_revision()
    {
        using var outside = new TempDirectory();

        var thrown = Assert.Throws<LockFileException>(() => GitLockSnapshot.Open(outside.PathOf("data.lock.json"), "HEAD"));

        Assert.That(thrown!.Message, Does.Contain("not inside a git repository"));
    }

    private void Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = temp.Root, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in (string[])["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"git {string.Join(' ', arguments)}: {error}");
    }
}
