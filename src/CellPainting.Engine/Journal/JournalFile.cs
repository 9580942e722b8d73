using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using CellPainting.Engine.IO;

namespace CellPainting.Engine.Journal;

/// <summary>
/// One group's file of a build log: its lines as replayed, and the writer that appends to it. Every line ends in a
/// CRC-32 of the rest of it: a line with a flipped byte is dropped on replay, never trusted. A record names its
/// inputs and outputs by a list the file declares once (<see cref="Named"/>), and spells its full hashes in base64url:
/// ~190 bytes a five-input site instead of format 3's ~260.
/// </summary>
internal sealed class JournalFile : IDisposable
{
    public const char Begun = 'B';
    public const char Done = 'D';
    public const char Described = 'P';

    /// <summary>A record whose id is its group's name, a slash and what the line holds.</summary>
    public const char DoneInGroup = 'd';

    /// <summary>A list of input and output names, numbered in the file, that the records after it refer to.</summary>
    public const char Named = 'N';

    private const string Header = "cpbuild-log 4";

    /// <summary>The format before this one, read and rewritten: the same records with names and hashes spelled out.</summary>
    private const string Format3Header = "cpbuild-log 3";

    /// <summary>The format read once and rewritten: its records hold full input hashes and their group, and no stamps.</summary>
    private const string Format2Header = "cpbuild-log 2";

    /// <summary>A SHA-256 in base64url, unpadded.</summary>
    private const int HashCharacters = 43;

    /// <summary>Marks a hash that is not a SHA-256 (a test's, an empty one): written as it is.</summary>
    private const char OtherHash = '=';

    /// <summary>Hex digits kept of a parameters digest the file describes: enough to pick it out of the file's few.</summary>
    private const int DigestPrefix = 16;

    /// <summary>Hex digits kept of an input's hash: they only name which input changed, the fingerprint covers the full hash.</summary>
    private const int InputHashPrefix = 8;

    /// <summary>A line's checksum field: a tab and eight hex digits.</summary>
    private const int ChecksumField = 9;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private StreamWriter? writer;
    private bool cutShortTail;

    /// <summary>The name lists the file declares, by number: a later declaration of a number replaces an earlier one for the lines after it.</summary>
    private readonly Dictionary<int, NameList> nameLists = [];

    /// <summary>The number under which each list (by <see cref="NameList.Key"/>) is declared last in the file.</summary>
    private readonly Dictionary<string, int> listNumbers = new(StringComparer.Ordinal);
    private int nextListNumber;

    private JournalFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>The completed records the file held, the last of each item winning, in file order.</summary>
    public Dictionary<string, BuildRecord> Records { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The lines the file holds after its header, whole ones, damaged or not, less the descriptions and name lists
    /// that read: with the live records, how much of it is superseded.
    /// </summary>
    public int Lines { get; private set; }

    /// <summary>The begun and record lines appended since the file was replayed or rewritten.</summary>
    public int AppendedLines { get; private set; }

    /// <summary>True when the file was of format 2 or 3: its records are to be rewritten in the current format.</summary>
    public bool Upgraded { get; private set; }

    /// <summary>Items the file says were begun and not completed after.</summary>
    public HashSet<string> Interrupted { get; } = new(StringComparer.Ordinal);

    /// <summary>The parameter values behind each digest the file describes.</summary>
    public Dictionary<string, SortedDictionary<string, string>> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>A file not yet written: appending creates it.</summary>
    public static JournalFile New(string path) => new(path);

    /// <summary>
    /// Replays the file at <paramref name="path"/>, the file of <paramref name="group"/>. A file of format 2 or 3 is read
    /// and marked <see cref="Upgraded"/>, to be rewritten in the current format; one of another format (an older version,
    /// a damaged header) is deleted: the log only saves work, and its items are rebuilt.
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
        int format = header switch { Header => 4, Format3Header => 3, Format2Header => 2, _ => 0 };
        if (format == 0)
        {
            File.Delete(path);
            return file;
        }

        file.Upgraded = format < 4;
        // The parameters digest and the input and output names repeat on every line: keep one string each.
        var strings = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        Span<Range> fields = stackalloc Range[10];
        Span<Range> parameter = stackalloc Range[4];
        char[] characters = [];
        for (rest = rest[(end + 1)..]; (end = rest.IndexOf((byte)'\n')) >= 0; rest = rest[(end + 1)..])
        {
            if (!TryVerify(rest[..end], out ReadOnlySpan<byte> text))
            {
                file.Lines++;
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
            else if (count == 4 && format == 4 && line[fields[0]] is [Named] && int.TryParse(line[fields[1]], NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                file.Declare(number, new NameList(SplitNames(line[fields[2]], strings), SplitNames(line[fields[3]], strings)));
            }
            else
            {
                // A begun or record line (or one that reads as neither): what a later record of its item supersedes.
                file.Lines++;
                if (count == 2 && line[fields[0]] is [Begun])
                {
                    file.Interrupted.Add(line[fields[1]].ToString());
                }
                else if (format switch
                {
                    4 => file.Parse(line, fields[..count], group, strings),
                    3 => ParseFormat3(line, fields[..count], group, file.Parameters, strings),
                    _ => ParseFormat2(line, fields[..count], strings),
                } is { } record)
                {
                    file.Records[record.ItemId] = record;
                    file.Interrupted.Remove(record.ItemId);
                }
            }
        }

        // Whatever follows the last line break is a line a kill cut short: it does not count.
        file.cutShortTail = !rest.IsEmpty;
        return file;
    }

    /// <summary>
    /// A record line of format 4: D (or d: the id without its group's "group/" prefix), id, fingerprint (base64url),
    /// recipe, parameters digest (its first <see cref="DigestPrefix"/> digits where the file describes it), stamps
    /// digest ("-" for none), the number of the file's name list, the inputs' hash prefixes, the outputs' hashes
    /// (base64url, or <see cref="OtherHash"/> and the text of one that is not a SHA-256), in the list's order.
    /// The group is the file's.
    /// </summary>
    /// <returns>The record, or null when the line is not one, or names a list the file does not declare before it.</returns>
    private BuildRecord? Parse(ReadOnlySpan<char> line, ReadOnlySpan<Range> fields, string group, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings)
    {
        if (fields.Length != 9 || line[fields[0]] is not ([Done] or [DoneInGroup]) || !int.TryParse(line[fields[3]], out int recipe)
            || !int.TryParse(line[fields[6]], NumberStyles.None, CultureInfo.InvariantCulture, out int number) || !nameLists.TryGetValue(number, out NameList? names)
            || !TryStamps(line[fields[5]], out ulong? stamps) || DecodeSha256(line[fields[2]]) is not { } fingerprint
            || Pair(names.Inputs, line[fields[7]], prefix => prefix.ToString()) is not { } inputs
            || Pair(names.Outputs, line[fields[8]], DecodeHash) is not { } outputs)
        {
            return null;
        }

        return new BuildRecord(ItemIdOf(line, fields, group), group, fingerprint, recipe, ParametersDigestOf(line[fields[4]], Parameters, strings), inputs, outputs)
        {
            Stamps = stamps,
        };
    }

    /// <summary>A record line of format 3: as format 4, without the list number, with each input and output as name=hash and the hashes in hex.</summary>
    private static BuildRecord? ParseFormat3(ReadOnlySpan<char> line, ReadOnlySpan<Range> fields, string group, Dictionary<string, SortedDictionary<string, string>> described, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings)
    {
        if (fields.Length != 8 || line[fields[0]] is not ([Done] or [DoneInGroup]) || !int.TryParse(line[fields[3]], out int recipe)
            || !IsHash(line[fields[2]]) || !TryStamps(line[fields[5]], out ulong? stamps))
        {
            return null;
        }

        return new BuildRecord(ItemIdOf(line, fields, group), group, line[fields[2]].ToString(), recipe, ParametersDigestOf(line[fields[4]], described, strings), ParseNames(line[fields[6]], strings), ParseNames(line[fields[7]], strings))
        {
            Stamps = stamps,
        };
    }

    /// <summary>A record line of format 2: D, id, group, fingerprint, recipe, parameters digest, inputs, outputs (full hashes).</summary>
    private static BuildRecord? ParseFormat2(ReadOnlySpan<char> line, ReadOnlySpan<Range> fields, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings)
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

    /// <summary>
    /// The lines (unchecked) that record <paramref name="record"/> in this file: the declaration of its name list first
    /// when the file has none yet; <paramref name="described"/>: the file describes its parameters digest.
    /// </summary>
    public IEnumerable<string> RecordLines(BuildRecord record, bool described)
    {
        ArgumentNullException.ThrowIfNull(record);
        var names = new NameList(record.Inputs.Select(input => input.Name).ToArray(), record.Outputs.Select(output => output.Name).ToArray());
        if (!listNumbers.TryGetValue(names.Key, out int number))
        {
            number = nextListNumber;
            Declare(number, names);
            yield return $"{Named}\t{number.ToString(CultureInfo.InvariantCulture)}\t{names.Key}";
        }

        string prefix = record.Group + "/";
        bool inGroup = record.ItemId.StartsWith(prefix, StringComparison.Ordinal) && record.ItemId.Length > prefix.Length;
        var line = new StringBuilder(192);
        line.Append(inGroup ? DoneInGroup : Done).Append('\t')
            .Append(record.ItemId, inGroup ? prefix.Length : 0, record.ItemId.Length - (inGroup ? prefix.Length : 0)).Append('\t');
        AppendHash(line, record.Fingerprint);
        line.Append('\t')
            .Append(record.RecipeVersion.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append(described && record.ParametersDigest.Length > DigestPrefix ? record.ParametersDigest.AsSpan(0, DigestPrefix) : record.ParametersDigest).Append('\t')
            .Append(record.Stamps is { } stamps ? stamps.ToString("x16", CultureInfo.InvariantCulture) : "-").Append('\t')
            .Append(number.ToString(CultureInfo.InvariantCulture)).Append('\t');
        for (int index = 0; index < record.Inputs.Count; index++)
        {
            string hash = record.Inputs[index].Hash;
            line.Append(index > 0 ? "," : string.Empty).Append(hash, 0, Math.Min(hash.Length, InputHashPrefix));
        }

        line.Append('\t');
        for (int index = 0; index < record.Outputs.Count; index++)
        {
            line.Append(index > 0 ? "," : string.Empty);
            AppendHash(line, record.Outputs[index].Hash);
        }

        yield return line.ToString();
    }

    /// <summary>True when the file at <paramref name="path"/> starts with the header of format 2, whose records hold no stamps.</summary>
    public static bool IsOfFormat2(string path)
    {
        Span<byte> start = stackalloc byte[Format2Header.Length + 1];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && start.SequenceEqual(Encoding.ASCII.GetBytes(Format2Header + "\n"));
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
        int count = CountBegunAndRecords(lines);
        Lines += count;
        AppendedLines += count;
    }

    /// <summary>
    /// Replaces the file, atomically, with <paramref name="lines"/> (unchecked text) and then <paramref name="records"/>
    /// (each with whether the file describes its parameters digest), their name lists numbered afresh in their order;
    /// nothing to write removes it.
    /// </summary>
    public void Rewrite(IEnumerable<string> lines, IEnumerable<(BuildRecord Record, bool Described)> records)
    {
        Dispose();
        cutShortTail = false;
        Upgraded = false;
        nameLists.Clear();
        listNumbers.Clear();
        nextListNumber = 0;
        var text = new StringBuilder(Header).Append('\n');
        int count = 0;
        foreach (string line in lines.Concat(records.SelectMany(pair => RecordLines(pair.Record, pair.Described))))
        {
            text.Append(Checked(line));
            count += IsDeclaration(line) ? 0 : 1;
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

    /// <summary>True for a line that describes parameters or declares a name list: never superseded.</summary>
    private static bool IsDeclaration(ReadOnlySpan<char> line) => line is [Described or Named, '\t', ..];

    private static int CountBegunAndRecords(string lines)
    {
        int count = 0;
        foreach (Range range in lines.AsSpan().TrimEnd('\n').Split('\n'))
        {
            count += IsDeclaration(lines.AsSpan()[range]) ? 0 : 1;
        }

        return count;
    }

    private static bool IsHash(ReadOnlySpan<char> text) => text.Length == 64 && !text.ContainsAnyExcept(LowerHex);

    /// <summary>Makes <paramref name="number"/> stand for <paramref name="names"/> in the lines that follow.</summary>
    private void Declare(int number, NameList names)
    {
        if (nameLists.Remove(number, out NameList? replaced) && listNumbers.GetValueOrDefault(replaced.Key, -1) == number)
        {
            listNumbers.Remove(replaced.Key);
        }

        nameLists[number] = names;
        listNumbers[names.Key] = number;
        nextListNumber = Math.Max(nextListNumber, number + 1);
    }

    private static string ItemIdOf(ReadOnlySpan<char> line, ReadOnlySpan<Range> fields, string group) =>
        line[fields[0]] is [DoneInGroup] ? $"{group}/{line[fields[1]]}" : line[fields[1]].ToString();

    /// <summary>A parameters digest as written; a prefix the file's descriptions do not expand (their line was damaged) stays a prefix (see BuildRecord.HasParameters).</summary>
    private static string ParametersDigestOf(ReadOnlySpan<char> field, Dictionary<string, SortedDictionary<string, string>> described, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings)
    {
        string digest = Shared(strings, field);
        if (digest.Length == DigestPrefix)
        {
            // A loop rather than a query: it runs for every record replayed, and a file describes one or two digests.
            foreach (string candidate in described.Keys)
            {
                if (candidate.StartsWith(digest, StringComparison.Ordinal))
                {
                    return candidate;
                }
            }
        }

        return digest;
    }

    private static bool TryStamps(ReadOnlySpan<char> field, out ulong? stamps)
    {
        stamps = null;
        if (field is "-")
        {
            return true;
        }

        if (!ulong.TryParse(field, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            return false;
        }

        stamps = value;
        return true;
    }

    /// <summary>A SHA-256 (lower-case hex) in base64url; any other hash after <see cref="OtherHash"/>, as it is.</summary>
    private static void AppendHash(StringBuilder line, string hash)
    {
        if (!IsHash(hash))
        {
            line.Append(OtherHash).Append(hash);
            return;
        }

        Span<byte> bytes = stackalloc byte[32];
        Convert.FromHexString(hash, bytes, out _, out _);
        Span<char> characters = stackalloc char[HashCharacters];
        Base64Url.EncodeToChars(bytes, characters);
        line.Append(characters);
    }

    /// <summary>The hash <see cref="AppendHash"/> wrote, or null when <paramref name="token"/> is not one.</summary>
    private static string? DecodeHash(ReadOnlySpan<char> token) =>
        token is [OtherHash, .. var other] ? other.ToString() : DecodeSha256(token);

    /// <summary>A SHA-256 in lower-case hex from its base64url, or null when <paramref name="token"/> is not one.</summary>
    private static string? DecodeSha256(ReadOnlySpan<char> token)
    {
        Span<byte> bytes = stackalloc byte[33];
        return token.Length == HashCharacters && Base64Url.TryDecodeFromChars(token, bytes, out int written) && written == 32
            ? Convert.ToHexStringLower(bytes[..32])
            : null;
    }

    /// <summary>
    /// <paramref name="names"/> paired with the comma-separated values of <paramref name="field"/>, one each, in order;
    /// null when the counts differ or a value does not read.
    /// </summary>
    private static HashedName[]? Pair(string[] names, ReadOnlySpan<char> field, Func<ReadOnlySpan<char>, string?> read)
    {
        if (names.Length == 0)
        {
            return field.IsEmpty ? [] : null;
        }

        if (field.Count(',') != names.Length - 1)
        {
            return null;
        }

        var pairs = new HashedName[names.Length];
        int index = 0;
        foreach (Range range in field.Split(','))
        {
            if (read(field[range]) is not { } value)
            {
                return null;
            }

            pairs[index] = new HashedName(names[index], value);
            index++;
        }

        return pairs;
    }

    private static string[] SplitNames(ReadOnlySpan<char> field, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings) =>
        SplitList(field, strings, static (name, strings) => Shared(strings, name));

    /// <summary>Format 3's and 2's name=hash pairs.</summary>
    private static HashedName[] ParseNames(ReadOnlySpan<char> field, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings) =>
        SplitList(field, strings, static (pair, strings) => pair.IndexOf('=') is var equals and >= 0
            ? new HashedName(Shared(strings, pair[..equals]), pair[(equals + 1)..].ToString())
            : new HashedName(Shared(strings, pair), string.Empty));

    /// <summary>Each comma-separated value of <paramref name="field"/> (none when it is empty) as <paramref name="read"/> makes it.</summary>
    private static T[] SplitList<T>(ReadOnlySpan<char> field, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings, Func<ReadOnlySpan<char>, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>, T> read)
    {
        if (field.IsEmpty)
        {
            return [];
        }

        var values = new T[field.Count(',') + 1];
        int index = 0;
        foreach (Range range in field.Split(','))
        {
            values[index++] = read(field[range], strings);
        }

        return values;
    }
}
