using CellPainting.Engine.Caching;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>A folder cache that notes, at each put, whether the lock file already mentioned what was put.</summary>
public sealed class LockWatchingCacheStore(string root, string lockPath) : ICacheStore
{
    private readonly FolderCacheStore folder = new(root);

    /// <summary>Each key put, and whether the lock named its SHA-256 at that moment.</summary>
    public List<(string Key, bool LockNamedIt)> Puts { get; } = [];

    public string Location => folder.Location;

    public void Probe() => folder.Probe();

    public byte[]? TryGet(string key) => folder.TryGet(key);

    public bool Exists(string key) => folder.Exists(key);

    public void Put(string key, byte[] content)
    {
        string sha256 = key[(key.LastIndexOf('/') + 1)..];
        Puts.Add((key, File.Exists(lockPath) && File.ReadAllText(lockPath).Contains(sha256, StringComparison.Ordinal)));
        folder.Put(key, content);
    }
}
