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

    /// <summary>A record whose id is its group's name, a slash and what the line holds.</summary>
    public const char DoneInGroup = 'd';

    private const string Header = "cpbuild-log 3";

    /// <summary>The format read once and rewritten: its records hold full input hashes and their group.</summary>
    private const string PreviousHeader = "cpbuild-log 2";

    /// <summary>Hex digits kept of a parameters digest the file describes: enough to pick it out of the file's few.</summary>
    private const int DigestPrefix = 16;

    /// <summary>Hex digits kept of an input's hash: they only name which input changed, the fingerprint covers the full hash.</summary>
    private const int InputHashPrefix = 8;

    /// <summary>A line's checksum field: a tab and eight hex digits.</summary>
    private const int ChecksumField = 9;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private StreamWriter? writer;
    private bool cutShortTail;

    private JournalFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>The completed records the file held, the last of each item winning, in file order.</summary>
    public Dictionary<string, BuildRecord> Records { get; } = new(StringComparer.Ordinal);

    /// <summary>The lines the file holds after its header, whole ones, damaged or not: with the live records, how much of it is superseded.</summary>
    public int Lines { get; private set; }

    /// <summary>The lines appended since the file was replayed or rewritten.</summary>
    public int AppendedLines { get; private set; }

    /// <summary>True when the file was of format 2: its records are to be rewritten in the current format.</summary>
    public bool Upgraded { get; private set; }

    /// <summary>Items the file says were begun and not completed after.</summary>
    public HashSet<string> Interrupted { get; } = new(StringComparer.Ordinal);

    /// <summary>The parameter values behind each digest the file describes.</summary>
    public Dictionary<string, SortedDictionary<string, string>> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>A file not yet written: appending creates it.</summary>
    public static JournalFile New(string path) => new(path);

    /// <summary>
    /// Replays the file at <paramref name="path"/>, the file of <paramref name="group"/>. A file of format 2 is read and
    /// marked <see cref="Upgraded"/>, to be rewritten in the current format; one of another format (an older version, a
    /// damaged header) is deleted: the log only saves work, and its items are rebuilt.
    /// </summary>
    // Called for every file of a log with a loop over thousands of lines: compiled optimised at once, since a short
    // build process would run it as unoptimised first-tier code to the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static JournalFile Replay(string path, string group)
    {
        var file = new JournalFile(path);
        // Read through spans: a plate's log has thousands of lines of hashes, and a no-op run reads all of them.
        ReadOnlySpan<byte> rest = File.ReadAllBytes(path);
        int end = rest.IndexOf((byte)'\n');
        string header = end < 0 ? string.Empty : Encoding.UTF8.GetString(rest[..end]);
        if (header is not (Header or PreviousHeader))
        {
            File.Delete(path);
            return file;
        }

        file.Upgraded = header == PreviousHeader;
        // The parameters digest and the input and output names repeat on every line: keep one string each.
        var strings = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        Span<Range> fields = stackalloc Range[9];
        Span<Range> parameter = stackalloc Range[4];
        char[] characters = [];
        for (rest = rest[(end + 1)..]; (end = rest.IndexOf((byte)'\n')) >= 0; rest = rest[(end + 1)..])
        {
            file.Lines++;
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
            else if ((file.Upgraded ? ParsePrevious(line, fields[..count], strings) : Parse(line, fields[..count], group, file.Parameters.Keys, strings)) is { } record)
            {
                file.Records[record.ItemId] = record;
                file.Interrupted.Remove(record.ItemId);
            }
        }

        // Whatever follows the last line break is a line a kill cut short: it does not count.
        file.cutShortTail = !rest.IsEmpty;
        return file;
    }

    /// <summary>
    /// A record line of format 3: D (or d: the id without its group's "group/" prefix), id, fingerprint, recipe,
    /// parameters digest (its first <see cref="DigestPrefix"/> digits where the file describes it), stamps digest
    /// ("-" for none), inputs as name=hash prefix, outputs as name=hash. The group is the file's.
    /// </summary>
    /// <returns>The record, or null when the line is not one.</returns>
    private static BuildRecord? Parse(ReadOnlySpan<char> line, ReadOnlySpan<Range> fields, string group, IEnumerable<string> described, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings)
    {
        if (fields.Length != 8 || line[fields[0]] is not ([Done] or [DoneInGroup]) || !int.TryParse(line[fields[3]], out int recipe) || !IsHash(line[fields[2]]))
        {
            return null;
        }

        ReadOnlySpan<char> stamps = line[fields[5]];
        ulong? stampsDigest = null;
        if (stamps is not "-")
        {
            if (!ulong.TryParse(stamps, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
            {
                return null;
            }

            stampsDigest = value;
        }

        string itemId = line[fields[0]] is [DoneInGroup] ? $"{group}/{line[fields[1]]}" : line[fields[1]].ToString();
        // A prefix the file's descriptions do not expand (their line was damaged) stays a prefix (see BuildRecord.HasParameters).
        string parametersDigest = Shared(strings, line[fields[4]]);
        if (parametersDigest.Length == DigestPrefix)
        {
            parametersDigest = described.FirstOrDefault(digest => digest.StartsWith(parametersDigest, StringComparison.Ordinal)) ?? parametersDigest;
        }

        return new BuildRecord(itemId, group, line[fields[2]].ToString(), recipe, parametersDigest, ParseNames(line[fields[6]], strings), ParseNames(line[fields[7]], strings))
        {
            Stamps = stampsDigest,
        };
    }

    /// <summary>A record line of format 2: D, id, group, fingerprint, recipe, parameters digest, inputs, outputs (full hashes).</summary>
    private static BuildRecord? ParsePrevious(ReadOnlySpan<char> line, ReadOnlySpan<Range> fields, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings)
    {
        if (fields.Length != 8 || line[fields[0]] is not [Done] || !int.TryParse(line[fields[4]], out int recipe) || !IsHash(line[fields[3]]))
        {
            return null;
        }

        return new BuildRecord(
            line[fields[1]].ToString(),
            Shared(strings, line[fields[2]]),
            line[fields[3]].ToString(),
            recipe,
            Shared(strings, line[fields[5]]),
            ParseNames(line[fields[6]], strings),
            ParseNames(line[fields[7]], strings));
    }

    /// <summary>A record as a line of format 3 (unchecked); <paramref name="described"/>: the file describes its parameters digest.</summary>
    public static string Format(BuildRecord record, bool described)
    {
        ArgumentNullException.ThrowIfNull(record);
        string prefix = record.Group + "/";
        bool inGroup = record.ItemId.StartsWith(prefix, StringComparison.Ordinal) && record.ItemId.Length > prefix.Length;
        var line = new StringBuilder(256);
        line.Append(inGroup ? DoneInGroup : Done).Append('\t')
            .Append(record.ItemId, inGroup ? prefix.Length : 0, record.ItemId.Length - (inGroup ? prefix.Length : 0)).Append('\t')
            .Append(record.Fingerprint).Append('\t')
            .Append(record.RecipeVersion.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append(described && record.ParametersDigest.Length > DigestPrefix ? record.ParametersDigest.AsSpan(0, DigestPrefix) : record.ParametersDigest).Append('\t')
            .Append(record.Stamps is { } stamps ? stamps.ToString("x16", CultureInfo.InvariantCulture) : "-").Append('\t');
        AppendNames(line, record.Inputs, InputHashPrefix);
        line.Append('\t');
        AppendNames(line, record.Outputs, int.MaxValue);
        return line.ToString();
    }

    /// <summary>True when the file at <paramref name="path"/> starts with the header of the previous format.</summary>
    public static bool IsOfPreviousFormat(string path)
    {
        Span<byte> start = stackalloc byte[PreviousHeader.Length + 1];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && start.SequenceEqual(Encoding.ASCII.GetBytes(PreviousHeader + "\n"));
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
        int count = lines.AsSpan().Count('\n');
        Lines += count;
        AppendedLines += count;
    }

    /// <summary>Replaces the file, atomically, with <paramref name="lines"/> (unchecked text); no lines remove it.</summary>
    public void Rewrite(IEnumerable<string> lines)
    {
        Dispose();
        cutShortTail = false;
        Upgraded = false;
        var text = new StringBuilder(Header).Append('\n');
        int count = 0;
        foreach (string line in lines)
        {
            text.Append(Checked(line));
            count++;
        }

        Lines = count;
        AppendedLines = 0;
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

    private static void AppendNames(StringBuilder line, IReadOnlyList<HashedName> names, int hashDigits)
    {
        for (int index = 0; index < names.Count; index++)
        {
            if (index > 0)
            {
                line.Append(',');
            }

            string hash = names[index].Hash;
            line.Append(names[index].Name).Append('=').Append(hash, 0, Math.Min(hash.Length, hashDigits));
        }
    }

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
