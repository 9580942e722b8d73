using System.Diagnostics;

namespace CellPainting.Build.Tests.TestSupport;

/// <summary>The git command line in one folder, as a person committing a lock would use it (no signing, a fixed author).</summary>
public sealed class GitRepository(string root)
{
    public string Root { get; } = root;

    /// <summary>A new repository in <paramref name="root"/> (an existing folder, files and all).</summary>
    public static GitRepository Init(string root)
    {
        var repository = new GitRepository(root);
        repository.Run("init", "--quiet");
        return repository;
    }

    /// <summary>Commits just these paths (relative to the root), whatever else the folder holds.</summary>
    public void Commit(string message, params string[] paths)
    {
        Run(["add", "--", .. paths]);
        Run("commit", "--quiet", "-m", message);
    }

    /// <summary>A clone into <paramref name="target"/>: the committed files only, as a fresh machine checks them out.</summary>
    public GitRepository CloneTo(string target)
    {
        Run("clone", "--quiet", Root, target);
        return new GitRepository(target);
    }

    public void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in (string[])["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"git {string.Join(' ', arguments)}: {error.Result}");
    }
}
