using System.Text;
using CellPainting.Engine.IO;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Journal;

/// <summary>
/// A stage's build log: an append-only journal of items begun and completed, so a killed run resumes
/// without redoing finished items and knows which ones it left half done. Compacted to one line per item.
/// </summary>
public sealed class BuildLog : IDisposable
{
    private const string Header = "cpbuild-log 1";
    private const char Begun = 'B';
    private const char Done = 'D';
    private const char Described = 'P';

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

        Append(FormatParameters(stageParameters.Digest, stageParameters.Values));
    }

    public void Begin(string itemId) => Append($"{Begun}\t{itemId}\n");

    public void Complete(BuildRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Append(Format(record));
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
            foreach (string itemId in interrupted.Order(StringComparer.Ordinal))
            {
                text.Append(Begun).Append('\t').Append(itemId).Append('\n');
            }

            foreach (string digest in records.Values.Select(record => record.ParametersDigest).Distinct().Where(parameters.ContainsKey).Order(StringComparer.Ordinal))
            {
                text.Append(FormatParameters(digest, parameters[digest]));
            }

            foreach (BuildRecord record in records.Values.OrderBy(record => record.ItemId, StringComparer.Ordinal))
            {
                text.Append(Format(record));
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
        $"{Done}\t{record.ItemId}\t{record.Group}\t{record.Fingerprint}\t{record.RecipeVersion}\t{record.ParametersDigest}\t{FormatNames(record.Inputs)}\t{FormatNames(record.Outputs)}\n";

    // One line per parameter, the value last so that it may hold tabs; a stage without parameters gets a bare line.
    private static string FormatParameters(string digest, IReadOnlyDictionary<string, string> values) =>
        values.Count == 0
            ? $"{Described}\t{digest}\n"
            : string.Concat(values.Select(pair => $"{Described}\t{digest}\t{pair.Key}\t{pair.Value}\n"));

    private static string FormatNames(IReadOnlyList<HashedName> names) =>
        string.Join(',', names.Select(name => $"{name.Name}={name.Hash}"));

    /// <summary>Loads the records; returns true when the file ends in a cut-short line.</summary>
    private static bool Replay(string path, Dictionary<string, BuildRecord> records, HashSet<string> interrupted, Dictionary<string, IReadOnlyDictionary<string, string>> parameters)
    {
        string content = File.ReadAllText(path);
        string[] lines = content.Split('\n');
        // The last element is either empty or a line a kill cut short: neither counts.
        int complete = lines.Length - 1;
        if (complete == 0 || lines[0] != Header)
        {
            // Not a log this version can read: it only saves work, so start a fresh one.
            File.Delete(path);
            return false;
        }

        var described = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        for (int index = 1; index < complete; index++)
        {
            string[] fields = lines[index].Split('\t');
            if (fields[0] == "P" && fields.Length is 2 or >= 4 && IsHash(fields[1]))
            {
                if (!described.TryGetValue(fields[1], out SortedDictionary<string, string>? values))
                {
                    described[fields[1]] = values = new SortedDictionary<string, string>(StringComparer.Ordinal);
                }

                if (fields.Length >= 4)
                {
                    string[] parameter = lines[index].Split('\t', 4);
                    values[parameter[2]] = parameter[3];
                }
            }
            else if (fields.Length == 2 && fields[0] == "B")
            {
                interrupted.Add(fields[1]);
            }
            else if (fields.Length == 8 && fields[0] == "D" && int.TryParse(fields[4], out int recipe) && IsHash(fields[3]))
            {
                records[fields[1]] = new BuildRecord(fields[1], fields[2], fields[3], recipe, fields[5], ParseNames(fields[6]), ParseNames(fields[7]));
                interrupted.Remove(fields[1]);
            }
        }

        foreach ((string digest, SortedDictionary<string, string> values) in described)
        {
            parameters[digest] = values;
        }

        return !content.EndsWith('\n');
    }

    private static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    private static HashedName[] ParseNames(string field) =>
        field.Length == 0
            ? []
            : field.Split(',').Select(pair => pair.Split('=', 2)).Select(parts => new HashedName(parts[0], parts.Length == 2 ? parts[1] : string.Empty)).ToArray();
}
