using System.Text;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// A lock as committed somewhere (a folder, a git revision): the lock file and, on request, its group manifests,
/// each checked against the digest the lock records. Reads none of the data the lock describes.
/// </summary>
public abstract class LockSnapshot
{
    private readonly string lockFileName;

    protected LockSnapshot(string name, string lockFileName, LockFile lockFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(lockFileName);
        ArgumentNullException.ThrowIfNull(lockFile);
        Name = name;
        this.lockFileName = lockFileName;
        Lock = lockFile;
    }

    /// <summary>How messages and reviews name this lock: <c>HEAD:data.lock.json</c>, <c>shard-a/data.lock.json</c>.</summary>
    public string Name { get; }

    public LockFile Lock { get; }

    /// <summary>The manifests of the given groups of this lock, in order; a missing or altered one is an error naming it.</summary>
    public IReadOnlyList<byte[]> ReadManifests(IReadOnlyList<GroupKey> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        string[] paths = groups.Select(key => LockStore.ManifestRelativePath(lockFileName, key.Target, key.Group)).ToArray();
        IReadOnlyList<byte[]?> contents = ReadFiles(paths);
        var manifests = new byte[groups.Count][];
        for (int index = 0; index < groups.Count; index++)
        {
            (string target, string group) = groups[index];
            string shown = NameOf(paths[index]);
            byte[] content = contents[index] ?? throw new LockFileException($"{shown}: missing, but {Name} lists {target}/{group}.");
            string recorded = Lock.Targets[target].Groups[group].Digest;
            string digest = ItemManifest.DigestOf(content);
            if (digest != recorded)
            {
                int conflict = ConflictMarker.FindLine(Encoding.UTF8.GetString(content));
                throw new LockFileException(conflict > 0
                    ? $"{shown}:{conflict}: merge-conflict marker; resolve it or regenerate the lock."
                    : $"{shown}: has digest {digest}, but {Name} records {recorded} for {target}/{group}; the lock and its manifests are out of step.");
            }

            manifests[index] = content;
        }

        return manifests;
    }

    /// <summary>Files relative to the lock's folder ('/' separators), in order; null for one that does not exist.</summary>
    protected abstract IReadOnlyList<byte[]?> ReadFiles(IReadOnlyList<string> relativePaths);

    /// <summary>How messages name a file relative to the lock's folder.</summary>
    protected abstract string NameOf(string relativePath);
}
