using CellPainting.Engine.IO;

namespace CellPainting.Engine.Caching;

/// <summary>
/// A cache on a file system (a shared mount): one file per key under the root, written to a temporary file and
/// renamed, so two writers of one key leave one whole object. The root must exist: when the mount is missing the
/// cache is unavailable, rather than quietly filling the local disk.
/// </summary>
public sealed class FolderCacheStore : ICacheStore
{
    private readonly string root;

    public FolderCacheStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        this.root = Path.GetFullPath(root);
    }

    public string Location => root;

    public void Probe() => RequireRoot();

    public byte[]? TryGet(string key)
    {
        string path = PathOf(key);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            RequireRoot();
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CacheUnavailableException($"cannot read {path}: {exception.Message}", exception);
        }
    }

    public bool Exists(string key)
    {
        string path = PathOf(key);
        if (File.Exists(path))
        {
            return true;
        }

        RequireRoot();
        return false;
    }

    public void Put(string key, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string path = PathOf(key);
        RequireRoot();
        try
        {
            AtomicFile.WriteAllBytes(path, content);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CacheUnavailableException($"cannot write {path}: {exception.Message}", exception);
        }
    }

    private void RequireRoot()
    {
        if (!Directory.Exists(root))
        {
            throw new CacheUnavailableException($"cache folder {root} does not exist");
        }
    }

    /// <summary>Keys are relative, '/'-separated paths the engine makes; one that could leave the root is a bug, not data.</summary>
    private string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        string[] segments = key.Split('/');
        if (segments.Any(segment => segment.Length == 0 || segment == "." || segment == ".." || segment.Contains('\\', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Cache key '{key}' is not a relative path of plain names.", nameof(key));
        }

        return Path.Combine([root, .. segments]);
    }
}
