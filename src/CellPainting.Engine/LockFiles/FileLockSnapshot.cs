namespace CellPainting.Engine.LockFiles;

/// <summary>A lock in a folder on disk: the lock file and its manifest folder beside it.</summary>
public sealed class FileLockSnapshot : LockSnapshot
{
    private FileLockSnapshot(string name, string lockPath, LockFile lockFile)
        : base(name, lockFile, new ManifestFolder(lockPath, name))
    {
    }

    /// <summary>Reads the lock at <paramref name="lockPath"/> (empty when there is none), named <paramref name="name"/> in messages.</summary>
    public static FileLockSnapshot Open(string lockPath, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockPath);
        string fullPath = Path.GetFullPath(lockPath);
        LockFile lockFile = File.Exists(fullPath) ? LockFileSerializer.Deserialize(File.ReadAllBytes(fullPath), name) : LockFile.Empty;
        return new FileLockSnapshot(name, fullPath, lockFile);
    }
}
