using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using CellPainting.Engine.IO;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// What local state remembers of the group manifests it last recorded, a small file per target and group: a key of the
/// records the manifest was made from, its digest, and the stamp of the file holding its bytes. A group whose records
/// have the same key, whose lock entry still has that digest and whose file still has that stamp has its manifest in
/// place: a no-op run neither makes nor hashes nor compares it again (a plate's is ~0.5 MB of text), and a change
/// rewrites the files of the groups it changed alone. Never committed; a missing or unreadable file only means that
/// group's manifest is made again.
/// </summary>
public sealed class RecordedManifests
{
    private const string Format = "cpbuild-recorded-manifest 1";

    private readonly string folder;

    /// <summary>What was read or written for each target and group in this run, so that an unchanged one is not written.</summary>
    private readonly Dictionary<(string Target, string Group), RecordedManifest?> known = [];

    public RecordedManifests(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        this.folder = Path.GetFullPath(folder);
    }

    /// <summary>
    /// The key of the records a manifest is made from: their ids, fingerprints and outputs, in order (XxHash128, so
    /// two different sets of records share a key by accident with odds of 2^-128, not 2^-64).
    /// </summary>
    public static string KeyOf(IEnumerable<BuildRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var hash = new XxHash128();
        foreach (BuildRecord record in records)
        {
            Append(hash, record.ItemId);
            Append(hash, record.Fingerprint);
            Append(hash, record.Outputs.Count);
            foreach (HashedName output in record.Outputs)
            {
                Append(hash, output.Name);
                Append(hash, output.Hash);
            }
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>
    /// True when the group's manifest of <paramref name="digest"/> was recorded from records of <paramref name="key"/>
    /// and the file holding it (<paramref name="file"/>, asked only then) is untouched since.
    /// </summary>
    public bool Holds(string target, string group, string key, string digest, Func<string> file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Read(target, group) is { } entry && entry.Key == key && entry.Digest == digest && FileStatReader.TryRead(file()) == entry.Stamp;
    }

    /// <summary>Remembers the groups just recorded, each with the file now holding its manifest; forgets the target's other groups.</summary>
    public void Remember(string target, IReadOnlyList<(string Group, string Key, string Digest, string File)> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string group, string key, string digest, string file) in groups)
        {
            current.Add(group);
            RecordedManifest? entry = FileStatReader.TryRead(file) is { } stamp ? new RecordedManifest(key, digest, stamp) : null;
            if (Read(target, group) == entry)
            {
                continue;
            }

            string path = PathOf(target, group);
            if (entry is { } remembered)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"{Format}\n{remembered.Key}\t{remembered.Digest}\t{remembered.Stamp.Size}\t{remembered.Stamp.MtimeNanoseconds}\t{remembered.Stamp.Inode}\n")));
            }
            else
            {
                File.Delete(path);
            }

            known[(target, group)] = entry;
        }

        string directory = Path.Combine(folder, target);
        if (Directory.Exists(directory))
        {
            foreach (string gone in Directory.EnumerateFiles(directory).Where(path => !current.Contains(Path.GetFileName(path))).ToArray())
            {
                File.Delete(gone);
            }
        }
    }

    /// <summary>A string after its length, so that no two lists of strings run together into the same bytes.</summary>
    private static void Append(XxHash128 hash, string text)
    {
        Append(hash, text.Length);
        hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    private static void Append(XxHash128 hash, int number)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, number);
        hash.Append(bytes);
    }

    private string PathOf(string target, string group) => Path.Combine(folder, target, group);

    private RecordedManifest? Read(string target, string group)
    {
        if (known.TryGetValue((target, group), out RecordedManifest? entry))
        {
            return entry;
        }

        string path = PathOf(target, group);
        string[] lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        string[] fields = lines is [Format, string line] ? line.Split('\t') : [];
        entry = fields.Length == 5
            && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            && long.TryParse(fields[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long mtime)
            && ulong.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)
                ? new RecordedManifest(fields[0], fields[1], new FileStamp(size, mtime, inode))
                : null;
        known[(target, group)] = entry;
        return entry;
    }
}
