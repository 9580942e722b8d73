namespace CellPainting.Engine.LockFiles;

/// <summary>
/// A lock as committed at a git revision, read with git itself (<c>git cat-file</c>), so neither the working tree
/// nor any data needs to match it. A revision without the lock reads as an empty lock.
/// </summary>
public sealed class GitLockSnapshot : LockSnapshot
{
    private GitLockSnapshot(string revision, string lockFileName, LockFile lockFile, Git git, string commit, string prefix)
        : base($"{revision}:{prefix}{lockFileName}", lockFile, new GitManifestFolder(git, revision, commit, prefix, lockFileName))
    {
    }

    /// <summary>Reads the lock that sits at <paramref name="lockPath"/> in the working tree as it was at <paramref name="revision"/>.</summary>
    public static GitLockSnapshot Open(string lockPath, string revision)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockPath);
        ArgumentException.ThrowIfNullOrEmpty(revision);
        string fullPath = Path.GetFullPath(lockPath);
        string directory = Path.GetDirectoryName(fullPath)!;
        string fileName = Path.GetFileName(fullPath);
        if (!Directory.Exists(directory))
        {
            throw new LockFileException($"{directory}: no such folder, so no git repository to read {revision} from.");
        }

        var git = new Git(directory);
        // The folder's path inside the repository, as git spells it ("" at the top, "sub/" below it).
        string prefix = git.Run(out string error, "rev-parse", "--show-prefix")?.TrimEnd('\n')
            ?? throw new LockFileException($"{directory}: not inside a git repository, so '{revision}' cannot be read ({error}).");
        string commit = (revision.StartsWith('-') ? null : git.Run(out error, "rev-parse", "--verify", "--quiet", revision + "^{commit}")?.Trim())
            ?? throw new LockFileException($"'{revision}' is neither a lock file nor a commit of the git repository at {directory}.");
        byte[]? content = git.ReadBlobs(commit, [prefix + fileName])[0];
        LockFile lockFile = content is null ? LockFile.Empty : LockFileSerializer.Deserialize(content, $"{revision}:{prefix}{fileName}");
        return new GitLockSnapshot(revision, fileName, lockFile, git, commit, prefix);
    }
}
