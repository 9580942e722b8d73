namespace CellPainting.Engine.LockFiles;

/// <summary>
/// A lock as committed somewhere (a folder, a git revision): the lock file and, on request, its group manifests,
/// each checked against the digest the lock records. Reads none of the data the lock describes.
/// </summary>
public abstract class LockSnapshot
{
    private readonly IManifestPlace committed;

    /// <param name="committed">Where the manifests committed with this lock are (its <c>.d</c> folder there).</param>
    protected LockSnapshot(string name, LockFile lockFile, IManifestPlace committed)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(lockFile);
        ArgumentNullException.ThrowIfNull(committed);
        Name = name;
        Lock = lockFile;
        this.committed = committed;
    }

    /// <summary>How messages and reviews name this lock: <c>HEAD:data.lock.json</c>, <c>shard-a/data.lock.json</c>.</summary>
    public string Name { get; }

    public LockFile Lock { get; }

    /// <summary>
    /// The manifests of the given groups of this lock, in order: from the committed ones, else from
    /// <paramref name="elsewhere"/> (local state, the cache: for manifests kept out of git); a group no place has
    /// with the recorded digest is an error naming the digest and every place looked.
    /// </summary>
    public IReadOnlyList<byte[]> ReadManifests(IReadOnlyList<GroupKey> groups, IReadOnlyList<IManifestPlace>? elsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ManifestRequest[] requests = groups.Select(key => new ManifestRequest(key, Lock.Targets[key.Target].Groups[key.Group].Digest)).ToArray();
        return new ManifestChain([committed, .. elsewhere ?? []]).Find(requests).Select(lookup => lookup.Require(Name)).ToArray();
    }
}
