using System.Text;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Journal;

/// <summary>
/// A stage's build log: an append-only journal of items begun and completed, so a killed run resumes
/// without redoing finished items and knows which ones it left half done. One file per item group (a plate), so a
/// run that changed one group appends to and compacts that group's file alone; compacted to one line per item.
/// A line with a flipped byte is dropped on replay (see <see cref="JournalFile"/>), never trusted, and its item is
/// rebuilt (or, for a parameters line, only named less precisely).
/// </summary>
public sealed class BuildLog : IDisposable
{
    private readonly string folder;
    private readonly Dictionary<string, BuildRecord> records;

    /// <summary>Items a previous run began and never completed, with the file that says so.</summary>
    private readonly Dictionary<string, string> interrupted;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> parameters;

    /// <summary>The log's files by path: those replayed, and those appended to since.</summary>
    private readonly Dictionary<string, JournalFile> files;

    /// <summary>Which parameter digests each file describes, so that a file gets a digest's lines once.</summary>
    private readonly HashSet<(string File, string Digest)> describedIn;
    private readonly HashSet<string> appended = new(StringComparer.Ordinal);

    /// <summary>Files the next compaction rewrites whatever they hold: of an older format, or sharing an item with another.</summary>
    private readonly HashSet<string> rewriteWhole = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> fileOfGroup = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    private BuildLog(string folder, Dictionary<string, JournalFile> files, Dictionary<string, BuildRecord> records, Dictionary<string, string> interrupted, Dictionary<string, IReadOnlyDictionary<string, string>> parameters, HashSet<(string, string)> describedIn)
    {
        this.folder = folder;
        this.files = files;
        this.records = records;
        this.interrupted = interrupted;
        this.parameters = parameters;
        this.describedIn = describedIn;
    }

    public IReadOnlyCollection<BuildRecord> Records => records.Values;

    /// <summary>Opens the log kept in <paramref name="folder"/>, replaying its files (in parallel: a file per plate).</summary>
    public static BuildLog Open(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder = Path.GetFullPath(folder);
        // A log of format 1 was one file where the folder is now; it is dropped (its items are rebuilt).
        string formatOne = Path.TrimEndingDirectorySeparator(folder) + ".log";
        if (File.Exists(formatOne))
        {
            File.Delete(formatOne);
        }
        string[] paths = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.log") : [];
        Array.Sort(paths, StringComparer.Ordinal);
        // Parallel.For rather than PLINQ, whose start-up costs ~50 ms a run.
        var replayed = new JournalFile[paths.Length];
        Parallel.For(0, paths.Length, index => replayed[index] = JournalFile.Replay(paths[index], GroupOf(paths[index])));

        var files = new Dictionary<string, JournalFile>(StringComparer.Ordinal);
        var records = new Dictionary<string, BuildRecord>(replayed.Sum(file => file.Records.Count), StringComparer.Ordinal);
        var interrupted = new Dictionary<string, string>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var describedIn = new HashSet<(string, string)>();
        var conflicting = new HashSet<string>(StringComparer.Ordinal);
        foreach (JournalFile file in replayed)
        {
            files[file.Path] = file;
            foreach ((string itemId, BuildRecord record) in file.Records)
            {
                if (!records.TryAdd(itemId, record))
                {
                    // An item in two groups' files (its group changed): which came last is unknown, so rebuild it.
                    conflicting.Add(itemId);
                }
            }

            foreach (string itemId in file.Interrupted)
            {
                interrupted[itemId] = file.Path;
            }

            foreach ((string digest, SortedDictionary<string, string> values) in file.Parameters)
            {
                parameters[digest] = values;
                describedIn.Add((file.Path, digest));
            }

            file.Records.Clear();
            file.Interrupted.Clear();
            file.Parameters.Clear();
        }

        var log = new BuildLog(folder, files, records, interrupted, parameters, describedIn);
        // A file of an older format is rewritten in the current one by the next compaction (a dry run keeps it).
        log.appended.UnionWith(replayed.Where(file => file.Upgraded).Select(file => file.Path));
        log.rewriteWhole.UnionWith(replayed.Where(file => file.Upgraded).Select(file => file.Path));
        foreach (string itemId in conflicting)
        {
            string file = log.FileOf(records[itemId].Group);
            interrupted.TryAdd(itemId, file);
            log.appended.UnionWith(files.Keys); // compaction leaves each record in its group's file only
            log.rewriteWhole.UnionWith(files.Keys);
        }

        return log;
    }

    /// <summary>
    /// True when a log file under <paramref name="logsFolder"/> (the folders of every stage's log) is of format 2, whose
    /// records hold no stamps: their items' hashes are still in the stat cache.
    /// </summary>
    public static bool AnyOfFormat2(string logsFolder)
    {
        ArgumentNullException.ThrowIfNull(logsFolder);
        return Directory.Exists(logsFolder)
            && Directory.EnumerateFiles(logsFolder, "*.log", SearchOption.AllDirectories).Any(JournalFile.IsOfFormat2);
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
            return interrupted.ContainsKey(itemId);
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
    /// Keeps the values behind <paramref name="stageParameters"/>' digest, so that a later run whose parameters differ
    /// can say which ones changed; records carry only the digest, and each file gets the values before its first
    /// record that uses them.
    /// </summary>
    public void Describe(StageParameters stageParameters)
    {
        ArgumentNullException.ThrowIfNull(stageParameters);
        lock (gate)
        {
            parameters.TryAdd(stageParameters.Digest, stageParameters.Values);
        }
    }

    public void Begin(string itemId, string group)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        ArgumentNullException.ThrowIfNull(group);
        lock (gate)
        {
            AppendingTo(FileOf(group)).Append(JournalFile.Checked($"{JournalFile.Begun}\t{itemId}"));
        }
    }

    public void Complete(BuildRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (gate)
        {
            string path = FileOf(record.Group);
            JournalFile file = AppendingTo(path);
            var lines = new StringBuilder();
            if (parameters.TryGetValue(record.ParametersDigest, out IReadOnlyDictionary<string, string>? values) && describedIn.Add((path, record.ParametersDigest)))
            {
                foreach (string line in FormatParameters(record.ParametersDigest, values))
                {
                    lines.Append(JournalFile.Checked(line));
                }
            }

            foreach (string line in file.RecordLines(record, describedIn.Contains((path, record.ParametersDigest))))
            {
                lines.Append(JournalFile.Checked(line));
            }

            file.Append(lines.ToString());
            records[record.ItemId] = record;
            interrupted.Remove(record.ItemId);
        }
    }

    /// <summary>
    /// Rewrites each file appended to with one line per item of its group, sorted, atomically, once its superseded lines
    /// and the lines this run appended come to an eighth of its items: a one-site change appends its two lines to its
    /// plate's file and rewrites nothing, a run that built much of a plate leaves its file sorted. A file of the previous
    /// format, or sharing an item with another file, is rewritten whatever it holds. Files not appended to stay as they are.
    /// </summary>
    public void Compact()
    {
        lock (gate)
        {
            foreach (JournalFile file in files.Values)
            {
                file.Dispose();
            }

            if (appended.Count == 0)
            {
                return; // nothing new: leave the files as they are (a dry run writes nothing)
            }

            var live = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string path in records.Values.Select(record => FileOf(record.Group)).Concat(interrupted.Values))
            {
                live[path] = live.GetValueOrDefault(path) + 1;
            }

            RewriteFiles(appended.Where(path => rewriteWhole.Contains(path) || Worth(JournalFileAt(path), live.GetValueOrDefault(path))).ToArray());
            appended.Clear();
            rewriteWhole.Clear();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (JournalFile file in files.Values)
            {
                file.Dispose();
            }
        }
    }

    /// <summary>
    /// The file at <paramref name="path"/>, marked appended to, and rewritten first when of an older format: lines of the
    /// current format must not follow its header, and the name lists and descriptions they rely on must be those of
    /// the rewritten file.
    /// </summary>
    private JournalFile AppendingTo(string path)
    {
        JournalFile file = JournalFileAt(path);
        if (file.Upgraded)
        {
            RewriteFiles([path]);
        }

        appended.Add(path);
        return file;
    }

    /// <summary>True when rewriting a file of <paramref name="live"/> items pays: see <see cref="Compact"/>.</summary>
    private static bool Worth(JournalFile file, int live) => (file.Lines - live + file.AppendedLines) * 8 >= live;

    /// <summary>Rewrites each of <paramref name="paths"/> with one line per item of its group, sorted, atomically.</summary>
    private void RewriteFiles(IEnumerable<string> paths)
    {
        var byFile = paths.ToDictionary(path => path, _ => new List<BuildRecord>(), StringComparer.Ordinal);
        foreach (BuildRecord record in records.Values)
        {
            if (byFile.TryGetValue(FileOf(record.Group), out List<BuildRecord>? recordsOfFile))
            {
                recordsOfFile.Add(record);
            }
        }

        foreach ((string path, List<BuildRecord> recordsOfFile) in byFile)
        {
            string[] begun = interrupted.Where(pair => pair.Value == path).Select(pair => pair.Key).Order(StringComparer.Ordinal).ToArray();
            string[] digests = recordsOfFile.Select(record => record.ParametersDigest).Distinct().Where(parameters.ContainsKey).Order(StringComparer.Ordinal).ToArray();
            describedIn.RemoveWhere(pair => pair.File == path && !digests.Contains(pair.Digest));
            describedIn.UnionWith(digests.Select(digest => (path, digest)));
            JournalFileAt(path).Rewrite(
                begun.Select(itemId => $"{JournalFile.Begun}\t{itemId}")
                    .Concat(digests.SelectMany(digest => FormatParameters(digest, parameters[digest]))),
                recordsOfFile.OrderBy(record => record.ItemId, StringComparer.Ordinal).Select(record => (record, digests.Contains(record.ParametersDigest))));
        }
    }

    private JournalFile JournalFileAt(string path)
    {
        if (!files.TryGetValue(path, out JournalFile? file))
        {
            files[path] = file = JournalFile.New(path);
        }

        return file;
    }

    /// <summary>The file of a group: its name with every byte outside [A-Za-z0-9_-] (and a leading dot) as %XX.</summary>
    private string FileOf(string group)
    {
        if (fileOfGroup.TryGetValue(group, out string? path))
        {
            return path;
        }

        var name = new StringBuilder();
        foreach (byte value in Encoding.UTF8.GetBytes(group))
        {
            char character = (char)value;
            if (char.IsAsciiLetterOrDigit(character) || character is '-' or '_' || (character == '.' && name.Length > 0))
            {
                name.Append(character);
            }
            else
            {
                name.Append('%').Append(value.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        path = Path.Combine(folder, name.Append(".log").ToString());
        fileOfGroup[group] = path;
        return path;
    }

    /// <summary>The group whose file is at <paramref name="path"/>: the file name with its %XX escapes undone.</summary>
    private static string GroupOf(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        var bytes = new List<byte>(name.Length);
        for (int index = 0; index < name.Length; index++)
        {
            if (name[index] == '%' && index + 2 < name.Length && byte.TryParse(name.AsSpan(index + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out byte value))
            {
                bytes.Add(value);
                index += 2;
            }
            else
            {
                bytes.Add((byte)name[index]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    // One line per parameter, the value last so that it may hold tabs; a stage without parameters gets a bare line.
    private static IEnumerable<string> FormatParameters(string digest, IReadOnlyDictionary<string, string> values) =>
        values.Count == 0
            ? [$"{JournalFile.Described}\t{digest}"]
            : values.Select(pair => $"{JournalFile.Described}\t{digest}\t{pair.Key}\t{pair.Value}");
}
