using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using CellPainting.Engine.IO;

namespace CellPainting.Engine.Journal;

/// <summary>
/// One group's file of a build log: its lines as replayed, and the writer that appends to it. Every line ends in a
/// CRC-32 of the rest of it: a line with a flipped byte is dropped on replay, never trusted.
/// </summary>
internal sealed class JournalFile : IDisposable
{
    public const char Begun = 'B';
    public const char Done = 'D';
    public const char Described = 'P';

    private const string Header = "cpbuild-log 2";

    /// <summary>A line's checksum field: a tab and eight hex digits.</summary>
    private const int ChecksumField = 9;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private StreamWriter? writer;
    private bool cutShortTail;

    private JournalFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>The completed records the file held, the last of each item winning, in file order.</summary>
    public Dictionary<string, BuildRecord> Records { get; } = new(StringComparer.Ordinal);

    /// <summary>Items the file says were begun and not completed after.</summary>
    public HashSet<string> Interrupted { get; } = new(StringComparer.Ordinal);

    /// <summary>The parameter values behind each digest the file describes.</summary>
    public Dictionary<string, SortedDictionary<string, string>> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>A file not yet written: appending creates it.</summary>
    public static JournalFile New(string path) => new(path);

    /// <summary>
    /// Replays the file at <paramref name="path"/>. One of another format (an older version, a damaged header) is
    /// deleted: the log only saves work, and its items are rebuilt.
    /// </summary>
    // Called for every file of a log with a loop over thousands of lines: compiled optimised at once, since a short
    // build process would run it as unoptimised first-tier code to the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static JournalFile Replay(string path)
    {
        var file = new JournalFile(path);
        // Read through spans: a plate's log has thousands of lines of hashes, and a no-op run reads all of them.
        ReadOnlySpan<byte> rest = File.ReadAllBytes(path);
        int end = rest.IndexOf((byte)'\n');
        if (end < 0 || Encoding.UTF8.GetString(rest[..end]) != Header)
        {
            File.Delete(path);
            return file;
        }

        // The group, the parameters digest and the input and output names repeat on every line: keep one string each.
        var strings = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        Span<Range> fields = stackalloc Range[9];
        Span<Range> parameter = stackalloc Range[4];
        char[] characters = [];
        for (rest = rest[(end + 1)..]; (end = rest.IndexOf((byte)'\n')) >= 0; rest = rest[(end + 1)..])
        {
            if (!TryVerify(rest[..end], out ReadOnlySpan<byte> text))
            {
                continue; // damaged: what it said cannot be vouched for
            }

            if (characters.Length < text.Length)
            {
                characters = new char[Math.Max(text.Length, 2 * characters.Length)];
            }

            ReadOnlySpan<char> line = characters.AsSpan(0, Encoding.UTF8.GetChars(text, characters));
            int count = line.Split(fields, '\t');
            if (line[fields[0]] is [Described] && count is 2 or >= 4 && IsHash(line[fields[1]]))
            {
                string digest = Shared(strings, line[fields[1]]);
                if (!file.Parameters.TryGetValue(digest, out SortedDictionary<string, string>? values))
                {
                    file.Parameters[digest] = values = new SortedDictionary<string, string>(StringComparer.Ordinal);
                }

                if (count >= 4)
                {
                    line.Split(parameter, '\t'); // the value is the rest of the line, tabs and all
                    values[line[parameter[2]].ToString()] = line[parameter[3]].ToString();
                }
            }
            else if (count == 2 && line[fields[0]] is [Begun])
            {
                file.Interrupted.Add(line[fields[1]].ToString());
            }
            else if (count == 8 && line[fields[0]] is [Done] && int.TryParse(line[fields[4]], out int recipe) && IsHash(line[fields[3]]))
            {
                string itemId = line[fields[1]].ToString();
                file.Records[itemId] = new BuildRecord(
                    itemId,
                    Shared(strings, line[fields[2]]),
                    line[fields[3]].ToString(),
                    recipe,
                    Shared(strings, line[fields[5]]),
                    ParseNames(line[fields[6]], strings),
                    ParseNames(line[fields[7]], strings));
                file.Interrupted.Remove(itemId);
            }
        }

        // Whatever follows the last line break is a line a kill cut short: it does not count.
        file.cutShortTail = !rest.IsEmpty;
        return file;
    }

    /// <summary>A line as written: its text, a tab, the CRC-32 of the text's UTF-8 bytes in hex, a line break.</summary>
    public static string Checked(string line) =>
        $"{line}\t{Crc32.HashToUInt32(Encoding.UTF8.GetBytes(line)).ToString("x8", CultureInfo.InvariantCulture)}\n";

    /// <summary>Appends checked lines; one write and a flush, so a killed process loses at most the line it was writing.</summary>
    public void Append(string lines)
    {
        if (writer is null)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            bool fresh = !File.Exists(Path) || new FileInfo(Path).Length == 0;
            writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
            if (fresh)
            {
                writer.Write(Header + "\n");
            }
            else if (cutShortTail)
            {
                // End the cut-short line so the next record starts on a line of its own.
                writer.Write('\n');
                cutShortTail = false;
            }
        }

        writer.Write(lines);
        writer.Flush();
    }

    /// <summary>Replaces the file, atomically, with <paramref name="lines"/> (unchecked text); no lines remove it.</summary>
    public void Rewrite(IEnumerable<string> lines)
    {
        Dispose();
        cutShortTail = false;
        var text = new StringBuilder(Header).Append('\n');
        int count = 0;
        foreach (string line in lines)
        {
            text.Append(Checked(line));
            count++;
        }

        if (count == 0)
        {
            File.Delete(Path);
            return;
        }

        AtomicFile.WriteAllText(Path, text.ToString());
    }

    public void Dispose()
    {
        writer?.Dispose();
        writer = null;
    }

    /// <summary>The text of a line read back, or false when its checksum is missing or does not match.</summary>
    private static bool TryVerify(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (line.Length < ChecksumField || line[^ChecksumField] != (byte)'\t'
            || !uint.TryParse(line[^(ChecksumField - 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint checksum))
        {
            return false;
        }

        text = line[..^ChecksumField];
        return Crc32.HashToUInt32(text) == checksum;
    }

    private static string Shared(Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings, ReadOnlySpan<char> text)
    {
        if (!strings.TryGetValue(text, out string? shared))
        {
            shared = text.ToString();
            strings.Dictionary[shared] = shared;
        }

        return shared;
    }

    private static bool IsHash(ReadOnlySpan<char> text) => text.Length == 64 && !text.ContainsAnyExcept(LowerHex);

    private static HashedName[] ParseNames(ReadOnlySpan<char> field, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings)
    {
        if (field.IsEmpty)
        {
            return [];
        }

        var names = new HashedName[field.Count(',') + 1];
        int index = 0;
        foreach (Range range in field.Split(','))
        {
            ReadOnlySpan<char> pair = field[range];
            int equals = pair.IndexOf('=');
            names[index++] = equals < 0 ? new HashedName(Shared(strings, pair), string.Empty) : new HashedName(Shared(strings, pair[..equals]), pair[(equals + 1)..].ToString());
        }

        return names;
    }
}
