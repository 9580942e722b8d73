using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using CellPainting.Engine.IO;

namespace CellPainting.Engine.State;

/// <summary>
/// Persistent map from a file's path and stamp to its content hash, so an unchanged file is never read again.
/// An entry is trusted only while size, mtime and inode all match; anything else means "read it".
/// </summary>
public sealed class StatCache
{
    private const string Magic = "cpbuild-statcache-1";

    /// <summary>An entry on disk: a path of at least one byte with its length prefix, the stamp, the hash.</summary>
    private const int MinimumEntryBytes = 2 + (3 * sizeof(long)) + 32;

    private readonly ConcurrentDictionary<string, Entry> entries;
    private readonly string? filePath;
    private int changed;

    private StatCache(string? filePath, ConcurrentDictionary<string, Entry> entries)
    {
        this.filePath = filePath;
        this.entries = entries;
    }

    public int Count => entries.Count;

    /// <summary>A cache that lives only in memory (tests, dry runs that must not write).</summary>
    public static StatCache InMemory() => new(null, new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));

    /// <summary>Loads the cache at <paramref name="path"/>; a missing or unreadable file gives an empty cache.</summary>
    public static StatCache Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ConcurrentDictionary<string, Entry>? entries = null;
        if (File.Exists(path))
        {
            try
            {
                entries = Read(path);
            }
            catch (Exception exception) when (exception is EndOfStreamException or InvalidDataException or IOException or FormatException)
            {
                // The cache only saves work: a damaged one is dropped and rebuilt by hashing.
            }
        }

        return new StatCache(path, entries ?? new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
    }

    public bool TryGetHash(string path, FileStamp stamp, out string hash)
    {
        if (entries.TryGetValue(path, out Entry entry) && entry.Stamp == stamp)
        {
            hash = entry.Hash;
            return true;
        }

        hash = string.Empty;
        return false;
    }

    public void Record(string path, FileStamp stamp, string hash)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(hash);
        var entry = new Entry(stamp, hash);
        if (!entries.TryGetValue(path, out Entry existing) || existing != entry)
        {
            entries[path] = entry;
            Interlocked.Exchange(ref changed, 1);
        }
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

    /// <summary>Writes the cache atomically if anything changed since it was loaded.</summary>
    public void Save()
    {
        if (filePath is null || Interlocked.Exchange(ref changed, 0) == 0)
        {
            return;
        }

        AtomicFile.Write(filePath, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(entries.Count);
            foreach ((string path, Entry entry) in entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.Write(path);
                writer.Write(entry.Stamp.Size);
                writer.Write(entry.Stamp.MtimeNanoseconds);
                writer.Write(entry.Stamp.Inode);
                writer.Write(Convert.FromHexString(entry.Hash));
            }
        });
    }

    // Called once a run with a loop over thousands of entries: compiled optimised at once, since a short build
    // process would run it as unoptimised first-tier code to the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ConcurrentDictionary<string, Entry> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException($"'{path}' is not a stat cache of this version.");
        }

        int count = reader.ReadInt32();
        if (count < 0 || count > stream.Length / MinimumEntryBytes)
        {
            throw new InvalidDataException($"'{path}' claims {count} entries, more than it can hold.");
        }

        // Sized up front: a plate's cache has ~21k entries, and growing the table rehashes all of them.
        var entries = new ConcurrentDictionary<string, Entry>(Environment.ProcessorCount, count, StringComparer.Ordinal);
        for (int index = 0; index < count; index++)
        {
            string key = reader.ReadString();
            var stamp = new FileStamp(reader.ReadInt64(), reader.ReadInt64(), reader.ReadUInt64());
            byte[] hash = reader.ReadBytes(32);
            if (hash.Length != 32)
            {
                throw new EndOfStreamException($"'{path}' ends inside an entry.");
            }

            entries[key] = new Entry(stamp, Convert.ToHexStringLower(hash));
        }

        if (stream.Position != stream.Length)
        {
            throw new InvalidDataException($"'{path}' has bytes after its last entry.");
        }

        return entries;
    }

    private readonly record struct Entry(FileStamp Stamp, string Hash);
}
