using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using CellPainting.Engine.IO;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Journal;

/// <summary>
/// A stage's build log: an append-only journal of items begun and completed, so a killed run resumes
/// without redoing finished items and knows which ones it left half done. Compacted to one line per item.
/// Every line ends in a CRC-32 of the rest of it: a line with a flipped byte is dropped on replay, never trusted,
/// and its item is rebuilt (or, for a parameters line, only named less precisely).
/// </summary>
public sealed class BuildLog : IDisposable
{
    private const string Header = "cpbuild-log 2";

    /// <summary>A line's checksum field: a tab and eight hex digits.</summary>
    private const int ChecksumField = 9;
    private const char Begun = 'B';
    private const char Done = 'D';
    private const char Described = 'P';

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private readonly string path;
    private readonly Dictionary<string, BuildRecord> records;
    private readonly HashSet<string> interrupted;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> parameters;
    private readonly Lock gate = new();
    private StreamWriter? writer;

    private bool cutShortTail;
    private bool appended;

    private BuildLog(string path, Dictionary<string, BuildRecord> records, HashSet<string> interrupted, Dictionary<string, IReadOnlyDictionary<string, string>> parameters, bool cutShortTail)
    {
        this.path = path;
        this.records = records;
        this.interrupted = interrupted;
        this.parameters = parameters;
        this.cutShortTail = cutShortTail;
    }

    public IReadOnlyCollection<BuildRecord> Records => records.Values;

    public static BuildLog Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var records = new Dictionary<string, BuildRecord>(StringComparer.Ordinal);
        var interrupted = new HashSet<string>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        bool cutShortTail = File.Exists(path) && Replay(path, records, interrupted, parameters);
        return new BuildLog(path, records, interrupted, parameters, cutShortTail);
    }

    public BuildRecord? Find(string itemId)
    {
        // Worker threads look items up while others complete theirs: a Dictionary must not be read during a write.
        lock (gate)
        {
            return records.GetValueOrDefault(itemId);
        }
    }

    /// <summary>True when a previous run began this item and never completed it.</summary>
    public bool WasInterrupted(string itemId)
    {
        lock (gate)
        {
            return interrupted.Contains(itemId);
        }
    }

    /// <summary>The parameter values behind a digest some record carries, or null when this log never saw them.</summary>
    public IReadOnlyDictionary<string, string>? ParametersOf(string digest)
    {
        lock (gate)
        {
            return parameters.GetValueOrDefault(digest);
        }
    }

    /// <summary>
    /// Keeps the values behind <paramref name="stageParameters"/>' digest (once per digest), so that a later run
    /// whose parameters differ can say which ones changed; records themselves carry only the digest.
    /// </summary>
    public void Describe(StageParameters stageParameters)
    {
        ArgumentNullException.ThrowIfNull(stageParameters);
        lock (gate)
        {
            if (!parameters.TryAdd(stageParameters.Digest, stageParameters.Values))
            {
                return;
            }
        }

        Append(string.Concat(FormatParameters(stageParameters.Digest, stageParameters.Values).Select(Checked)));
    }

    public void Begin(string itemId) => Append(Checked($"{Begun}\t{itemId}"));

    public void Complete(BuildRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Append(Checked(Format(record)));
        lock (gate)
        {
            records[record.ItemId] = record;
            interrupted.Remove(record.ItemId);
        }
    }

    /// <summary>Rewrites the log with one line per completed item, sorted, atomically.</summary>
    public void Compact()
    {
        lock (gate)
        {
            writer?.Dispose();
            writer = null;
            cutShortTail = false;
            if (!appended)
            {
                return; // nothing new: leave the file as it is (a dry run writes nothing)
            }

            appended = false;

            var text = new StringBuilder(Header).Append('\n');
            IEnumerable<string> lines = interrupted.Order(StringComparer.Ordinal).Select(itemId => $"{Begun}\t{itemId}")
                .Concat(records.Values.Select(record => record.ParametersDigest).Distinct().Where(parameters.ContainsKey).Order(StringComparer.Ordinal)
                    .SelectMany(digest => FormatParameters(digest, parameters[digest])))
                .Concat(records.Values.OrderBy(record => record.ItemId, StringComparer.Ordinal).Select(Format));
            foreach (string line in lines)
            {
                text.Append(Checked(line));
            }

            AtomicFile.WriteAllText(path, text.ToString());
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            writer?.Dispose();
            writer = null;
        }
    }

    private void Append(string line)
    {
        lock (gate)
        {
            if (writer is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                bool fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
                writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
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

            appended = true;
            // One write per line and a flush: a killed process loses at most the line it was writing.
            writer.Write(line);
            writer.Flush();
        }
    }

    private static string Format(BuildRecord record) =>
        $"{Done}\t{record.ItemId}\t{record.Group}\t{record.Fingerprint}\t{record.RecipeVersion}\t{record.ParametersDigest}\t{FormatNames(record.Inputs)}\t{FormatNames(record.Outputs)}";

    // One line per parameter, the value last so that it may hold tabs; a stage without parameters gets a bare line.
    private static IEnumerable<string> FormatParameters(string digest, IReadOnlyDictionary<string, string> values) =>
        values.Count == 0
            ? [$"{Described}\t{digest}"]
            : values.Select(pair => $"{Described}\t{digest}\t{pair.Key}\t{pair.Value}");

    /// <summary>A line as written: its text, a tab, the CRC-32 of the text's UTF-8 bytes in hex, a line break.</summary>
    private static string Checked(string line) =>
        $"{line}\t{Crc32.HashToUInt32(Encoding.UTF8.GetBytes(line)).ToString("x8", CultureInfo.InvariantCulture)}\n";

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

    private static string FormatNames(IReadOnlyList<HashedName> names) =>
        string.Join(',', names.Select(name => $"{name.Name}={name.Hash}"));

    /// <summary>Loads the records; returns true when the file ends in a cut-short line.</summary>
    // Called once a run with a loop over thousands of entries: compiled optimised at once, since a short build
    // process would run it as unoptimised first-tier code to the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Replay(string path, Dictionary<string, BuildRecord> records, HashSet<string> interrupted, Dictionary<string, IReadOnlyDictionary<string, string>> parameters)
    {
        // Read through spans: a plate's log has thousands of lines of hashes, and a no-op run reads all of them.
        ReadOnlySpan<byte> rest = File.ReadAllBytes(path);
        int end = rest.IndexOf((byte)'\n');
        if (end < 0 || Encoding.UTF8.GetString(rest[..end]) != Header)
        {
            // Not a log this version can read (an older format, a damaged header): it only saves work, so start a fresh one.
            File.Delete(path);
            return false;
        }

        var described = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
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
                string digest = line[fields[1]].ToString();
                if (!described.TryGetValue(digest, out SortedDictionary<string, string>? values))
                {
                    described[digest] = values = new SortedDictionary<string, string>(StringComparer.Ordinal);
                }

                if (count >= 4)
                {
                    line.Split(parameter, '\t'); // the value is the rest of the line, tabs and all
                    values[line[parameter[2]].ToString()] = line[parameter[3]].ToString();
                }
            }
            else if (count == 2 && line[fields[0]] is [Begun])
            {
                interrupted.Add(line[fields[1]].ToString());
            }
            else if (count == 8 && line[fields[0]] is [Done] && int.TryParse(line[fields[4]], out int recipe) && IsHash(line[fields[3]]))
            {
                string itemId = line[fields[1]].ToString();
                records[itemId] = new BuildRecord(
                    itemId, line[fields[2]].ToString(), line[fields[3]].ToString(), recipe, line[fields[5]].ToString(), ParseNames(line[fields[6]]), ParseNames(line[fields[7]]));
                interrupted.Remove(itemId);
            }
        }

        foreach ((string digest, SortedDictionary<string, string> values) in described)
        {
            parameters[digest] = values;
        }

        // Whatever follows the last line break is a line a kill cut short: it does not count.
        return !rest.IsEmpty;
    }

    private static bool IsHash(ReadOnlySpan<char> text) => text.Length == 64 && !text.ContainsAnyExcept(LowerHex);

    private static HashedName[] ParseNames(ReadOnlySpan<char> field)
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
            names[index++] = equals < 0 ? new HashedName(pair.ToString(), string.Empty) : new HashedName(pair[..equals].ToString(), pair[(equals + 1)..].ToString());
        }

        return names;
    }
}
