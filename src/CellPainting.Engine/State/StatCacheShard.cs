using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using CellPainting.Engine.IO;

namespace CellPainting.Engine.State;

/// <summary>
/// The stat cache entries of the files of one directory, kept in a file of their own so that a change in one
/// directory rewrites that directory's entries only. The file ends in an XxHash3 of everything before it: a file
/// cut short, with a flipped byte or of another format is discarded whole, and its files are hashed again.
/// </summary>
internal sealed class StatCacheShard
{
    private const int HashBytes = 32;
    private const int ChecksumBytes = sizeof(ulong);

    /// <summary>An entry after its name: size, mtime, inode, hash.</summary>
    private const int EntryTailBytes = (3 * sizeof(long)) + HashBytes;

    private readonly Dictionary<string, Entry> entries;
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> byName;
    private readonly Lock gate = new();
    private bool changed;

    private StatCacheShard(string directory, Dictionary<string, Entry> entries)
    {
        Directory = directory;
        this.entries = entries;
        byName = entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The directory whose files this shard describes.</summary>
    public string Directory { get; }

    /// <summary>Magic and format version; a shard of any other format reads as empty.</summary>
    private static ReadOnlySpan<byte> Magic => "cpbuild-statcache 2\n"u8;

    public static StatCacheShard Empty(string directory) => new(directory, new Dictionary<string, Entry>(StringComparer.Ordinal));

    /// <summary>Loads the shard of <paramref name="directory"/> from <paramref name="file"/>; missing, damaged or foreign gives an empty one.</summary>
    public static StatCacheShard Load(string directory, string file)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(file);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Empty(directory);
        }

        return TryParse(content, directory) is { } entries ? new StatCacheShard(directory, entries) : Empty(directory);
    }

    public bool TryGetHash(ReadOnlySpan<char> name, FileStamp stamp, out string hash)
    {
        Entry entry;
        bool found;
        lock (gate)
        {
            found = byName.TryGetValue(name, out entry);
        }

        if (found && entry.Stamp == stamp)
        {
            hash = Convert.ToHexStringLower(entry.Hash);
            return true;
        }

        hash = string.Empty;
        return false;
    }

    public bool Holds(ReadOnlySpan<char> name)
    {
        lock (gate)
        {
            return byName.ContainsKey(name);
        }
    }

    public void Remove(ReadOnlySpan<char> name)
    {
        lock (gate)
        {
            changed |= byName.Remove(name);
        }
    }

    public void Record(ReadOnlySpan<char> name, FileStamp stamp, string hash)
    {
        var entry = new Entry { Stamp = stamp };
        if (hash.Length != 2 * HashBytes || Convert.FromHexString(hash, entry.Hash, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            throw new ArgumentException($"'{hash}' is not a SHA-256 in hex.", nameof(hash));
        }

        lock (gate)
        {
            if (!byName.TryGetValue(name, out Entry existing) || existing.Stamp != stamp || !((ReadOnlySpan<byte>)existing.Hash).SequenceEqual(entry.Hash))
            {
                byName[name] = entry;
                changed = true;
            }
        }
    }

    /// <summary>Writes the shard to <paramref name="file"/> atomically when it changed since it was loaded; deletes the file when no entry is left.</summary>
    public void SaveTo(string file)
    {
        byte[]? content;
        lock (gate)
        {
            if (!changed)
            {
                return;
            }

            content = entries.Count == 0 ? null : Serialize();
            changed = false;
        }

        if (content is null)
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }

            return;
        }

        AtomicFile.WriteAllBytes(file, content);
    }

    private byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            WriteName(writer, Directory);
            writer.Write(entries.Count);
            foreach ((string name, Entry entry) in entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                WriteName(writer, name);
                writer.Write(entry.Stamp.Size);
                writer.Write(entry.Stamp.MtimeNanoseconds);
                writer.Write(entry.Stamp.Inode);
                writer.Write(entry.Hash);
            }
        }

        byte[] body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length).ToArray();
        byte[] content = new byte[body.Length + ChecksumBytes];
        body.CopyTo(content, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(content.AsSpan(body.Length), XxHash3.HashToUInt64(body));
        return content;
    }

    private static void WriteName(BinaryWriter writer, string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        writer.Write(checked((ushort)bytes.Length));
        writer.Write(bytes);
    }

    /// <summary>The entries of a shard file, or null when it is not an intact shard of <paramref name="directory"/>.</summary>
    // Called once per directory with a loop over thousands of entries: compiled optimised at once, since a short build
    // process would run it as unoptimised first-tier code to the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Dictionary<string, Entry>? TryParse(ReadOnlySpan<byte> content, string directory)
    {
        if (content.Length < Magic.Length + ChecksumBytes || !content.StartsWith(Magic))
        {
            return null;
        }

        ReadOnlySpan<byte> body = content[..^ChecksumBytes];
        if (XxHash3.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(content[^ChecksumBytes..]))
        {
            return null; // cut short, a flipped byte, or bytes added: nothing in it can be vouched for
        }

        // The checksum vouches for the bytes; these checks guard against a writer bug, not damage.
        ReadOnlySpan<byte> rest = body[Magic.Length..];
        if (ReadName(ref rest) != directory || rest.Length < sizeof(int))
        {
            return null; // another directory's shard under a colliding file name
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(rest);
        rest = rest[sizeof(int)..];
        if (count < 0 || count > rest.Length / (sizeof(ushort) + EntryTailBytes))
        {
            return null;
        }

        var entries = new Dictionary<string, Entry>(count, StringComparer.Ordinal);
        for (int index = 0; index < count; index++)
        {
            string? name = ReadName(ref rest);
            if (name is null || rest.Length < EntryTailBytes)
            {
                return null;
            }

            var entry = new Entry
            {
                Stamp = new FileStamp(
                    BinaryPrimitives.ReadInt64LittleEndian(rest),
                    BinaryPrimitives.ReadInt64LittleEndian(rest[8..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(rest[16..])),
            };
            rest.Slice(24, HashBytes).CopyTo(entry.Hash);
            rest = rest[EntryTailBytes..];
            entries[name] = entry;
        }

        return rest.IsEmpty ? entries : null;
    }

    private static string? ReadName(ref ReadOnlySpan<byte> rest)
    {
        if (rest.Length < sizeof(ushort))
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
        if (rest.Length < sizeof(ushort) + length)
        {
            return null;
        }

        string name = Encoding.UTF8.GetString(rest.Slice(sizeof(ushort), length));
        rest = rest[(sizeof(ushort) + length)..];
        return name;
    }

    /// <summary>A SHA-256 held as bytes: half the memory of its hex text, and nothing to encode at load.</summary>
    [InlineArray(HashBytes)]
    private struct HashValue
    {
        private byte first;
    }

    private struct Entry
    {
        public FileStamp Stamp;
        public HashValue Hash;
    }
}
