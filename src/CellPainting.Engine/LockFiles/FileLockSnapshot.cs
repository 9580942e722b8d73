namespace CellPainting.Engine.LockFiles;

/// <summary>A lock in a folder on disk: the lock file and its manifest folder beside it.</summary>
public sealed class FileLockSnapshot : LockSnapshot
{
    private readonly string directory;

    private FileLockSnapshot(string name, string lockPath, LockFile lockFile)
        : base(name, Path.GetFileName(lockPath), lockFile)
    {
        directory = Path.GetDirectoryName(lockPath)!;
    }

    /// <summary>Reads the lock at <paramref name="lockPath"/> (empty when there is none), named <paramref name="name"/> in messages.</summary>
    public static FileLockSnapshot Open(string lockPath, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockPath);
        string fullPath = Path.GetFullPath(lockPath);
        LockFile lockFile = File.Exists(fullPath) ? LockFileSerializer.Deserialize(File.ReadAllBytes(fullPath), name) : LockFile.Empty;
        return new FileLockSnapshot(name, fullPath, lockFile);
    }

    protected override IReadOnlyList<byte[]?> ReadFiles(IReadOnlyList<string> relativePaths) =>
        relativePaths.Select(relative => Path.Combine(directory, relative))
            .Select(path => File.Exists(path) ? File.ReadAllBytes(path) : null)
            .ToArray();

    protected override string NameOf(string relativePath)
    {
        int slash = Name.LastIndexOf('/');
        return slash < 0 ? relativePath : Name[..(slash + 1)] + relativePath;
    }
}
