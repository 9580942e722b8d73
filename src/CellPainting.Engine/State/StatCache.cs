using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace CellPainting.Engine.State;

/// <summary>
/// Persistent map from a file's path and stamp to its content hash, so an unchanged file is never read again.
/// An entry is trusted only while size, mtime and inode all match; anything else means "read it".
/// Kept as one shard file per directory (a plate's images, a plate's outputs), each loaded when a file of its
/// directory is first asked about and rewritten only when one of its entries changed.
/// </summary>
public sealed class StatCache
{
    private readonly ConcurrentDictionary<string, Lazy<StatCacheShard>> shards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<StatCacheShard>>.AlternateLookup<ReadOnlySpan<char>> shardsByDirectory;
    private readonly string? folder;

    /// <summary>Files whose entries a build record now vouches for by stamp (see <see cref="Release"/>).</summary>
    private readonly ConcurrentQueue<string> released = new();

    private StatCache(string? folder)
    {
        this.folder = folder;
        shardsByDirectory = shards.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A cache that lives only in memory (tests, dry runs that must not write).</summary>
    public static StatCache InMemory() => new(null);

    /// <summary>
    /// The cache kept in <paramref name="folder"/>; shards are read when first needed, and a missing, damaged or
    /// foreign one reads as empty (the cache only saves work: its files are hashed again).
    /// </summary>
    public static StatCache Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return new StatCache(Path.GetFullPath(folder));
    }

    public bool TryGetHash(string path, FileStamp stamp, out string hash)
    {
        ArgumentNullException.ThrowIfNull(path);
        int split = NameStart(path);
        return ShardOf(path.AsSpan(0, split)).TryGetHash(path.AsSpan(split), stamp, out hash);
    }

    public void Record(string path, FileStamp stamp, string hash)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(hash);
        int split = NameStart(path);
        ShardOf(path.AsSpan(0, split)).Record(path.AsSpan(split), stamp, hash);
    }

    /// <summary>The hash of the file at <paramref name="path"/>, from the cache when its stamp matches, else by reading it.</summary>
    public string HashOf(string path, FileStamp stamp)
    {
        if (TryGetHash(path, stamp, out string hash))
        {
            return hash;
        }

        hash = ContentHash.OfFile(path);
        Record(path, stamp, hash);
        return hash;
    }

    /// <summary>True when the cache holds an entry for <paramref name="path"/>, whatever its stamp.</summary>
    public bool Holds(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int split = NameStart(path);
        return ShardOf(path.AsSpan(0, split)).Holds(path.AsSpan(split));
    }

    /// <summary>
    /// Marks the entry of a file that a build record now vouches for by its stamp: the record needs no hash from the
    /// cache while the stamp holds, and reads the file again once it moves. Dropped by the next <see cref="Save"/>
    /// told to drop released entries; until then, and after a save told to keep them, the entry stands.
    /// </summary>
    public void Release(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        released.Enqueue(path);
    }

    /// <summary>True when entries were released since the last save.</summary>
    public bool HasReleased => !released.IsEmpty;

    /// <summary>
    /// Writes, each atomically, the shards whose entries changed since they were loaded, first dropping the released
    /// entries when <paramref name="dropReleased"/>; a shard left with no entry is deleted.
    /// </summary>
    public void Save(bool dropReleased = true)
    {
        while (released.TryDequeue(out string? path))
        {
            if (dropReleased)
            {
                int split = NameStart(path);
                ShardOf(path.AsSpan(0, split)).Remove(path.AsSpan(split));
            }
        }

        if (folder is null)
        {
            return;
        }

        foreach (Lazy<StatCacheShard> shard in shards.Values.Where(shard => shard.IsValueCreated))
        {
            shard.Value.SaveTo(ShardFile(shard.Value.Directory));
        }
    }

    /// <summary>Where the file name starts: the directory is what comes before, separator included.</summary>
    private static int NameStart(string path) => path.AsSpan().LastIndexOfAny(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + 1;

    private StatCacheShard ShardOf(ReadOnlySpan<char> directory)
    {
        if (shardsByDirectory.TryGetValue(directory, out Lazy<StatCacheShard>? shard))
        {
            return shard.Value;
        }

        string key = directory.ToString();
        // Lazy: two workers asking for one directory at once load its file once.
        return shards.GetOrAdd(key, _ => new Lazy<StatCacheShard>(() => folder is null ? StatCacheShard.Empty(key) : StatCacheShard.Load(key, ShardFile(key)))).Value;
    }

    /// <summary>A shard's file: named by a hash of its directory's path (the path itself is inside, and checked).</summary>
    private string ShardFile(string directory) =>
        Path.Combine(folder!, XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(directory)).ToString("x16", CultureInfo.InvariantCulture) + ".bin");
}
