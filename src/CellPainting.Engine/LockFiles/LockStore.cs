using CellPainting.Engine.IO;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// The lock on disk: <c>data.lock.json</c> plus one manifest per target and group under <c>data.lock.d/</c>.
/// Every file is written atomically and only when its bytes change.
/// </summary>
public sealed class LockStore
{
    public LockStore(string lockPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockPath);
        LockPath = Path.GetFullPath(lockPath);
        string directory = Path.GetDirectoryName(LockPath)!;
        ManifestDirectory = Path.Combine(directory, ManifestDirectoryName(LockPath));
    }

    public string LockPath { get; }

    public string ManifestDirectory { get; }

    public LockFile Load() =>
        File.Exists(LockPath)
            ? LockFileSerializer.Deserialize(File.ReadAllBytes(LockPath), LockPath)
            : LockFile.Empty;

    public string ManifestPath(string target, string group) => Path.Combine(ManifestDirectory, target, group + ".tsv");

    /// <summary>The manifest folder's name next to a lock file: <c>data.lock.json</c> → <c>data.lock.d</c>.</summary>
    public static string ManifestDirectoryName(string lockPath) => Path.GetFileNameWithoutExtension(lockPath) + ".d";

    /// <summary>A group manifest's path relative to the lock's folder, with '/' separators (as git names it).</summary>
    public static string ManifestRelativePath(string lockPath, string target, string group) => $"{ManifestDirectoryName(lockPath)}/{target}/{group}.tsv";

    /// <summary>
    /// Replaces the target's section and manifests with the given records (the items valid now), except for the
    /// <paramref name="unlisted"/> groups, whose items could not be listed: their entries and manifests stay as they
    /// were, and so does the whole section when no group was listed at all (nothing is known of it now).
    /// </summary>
    public void Record(IStage stage, IReadOnlyList<BuildRecord> records, IReadOnlyCollection<string>? unlisted = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(records);
        var groups = records.GroupBy(record => record.Group)
            .ToDictionary(group => group.Key, group => new GroupContent(ItemManifest.Serialize(group), group.Count(), Empty), StringComparer.Ordinal);
        if (unlisted is { Count: > 0 } && groups.Count == 0 && Load().Targets.ContainsKey(stage.Name))
        {
            return;
        }

        Record(stage.Name, stage.RecipeVersion, stage.Parameters.Values, groups, unlisted ?? []);
    }

    /// <summary>
    /// Replaces a target's section with the given groups, each with its own manifest bytes, item count and extra
    /// attributes: for targets that are not item stages (a download's object listing, say).
    /// </summary>
    /// <param name="kept">Groups to keep as the current lock has them (when it has them), whatever <paramref name="groups"/> says.</param>
    public void Record(string target, int recipeVersion, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, GroupContent> groups, IReadOnlyCollection<string>? kept = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(groups);
        LockFile current = Load();
        var locks = new SortedDictionary<string, GroupLock>(StringComparer.Ordinal);
        if (kept is { Count: > 0 } && current.Targets.TryGetValue(target, out TargetLock? previous))
        {
            foreach (string name in kept.Where(previous.Groups.ContainsKey))
            {
                locks[name] = previous.Groups[name];
            }
        }

        foreach ((string name, GroupContent content) in groups.Where(group => !locks.ContainsKey(group.Key)))
        {
            WriteIfChanged(ManifestPath(target, name), content.Manifest);
            locks[name] = new GroupLock(content.Items, ItemManifest.DigestOf(content.Manifest), content.Attributes);
        }

        RemoveManifestsOtherThan(target, locks.Keys);
        var section = new TargetLock(recipeVersion, parameters, locks);
        WriteIfChanged(LockPath, LockFileSerializer.Serialize(current.WithTarget(target, section)));
    }

    /// <summary>The manifest of a group, or null when the lock has none.</summary>
    public string? ReadManifest(string target, string group)
    {
        string path = ManifestPath(target, group);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new SortedDictionary<string, string>(StringComparer.Ordinal);

    private void RemoveManifestsOtherThan(string target, IEnumerable<string> groups)
    {
        string directory = Path.Combine(ManifestDirectory, target);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var keep = groups.Select(group => group + ".tsv").ToHashSet(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(directory, "*.tsv").Where(file => !keep.Contains(Path.GetFileName(file))))
        {
            File.Delete(file);
        }
    }

    private static void WriteIfChanged(string path, byte[] content)
    {
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            return;
        }

        AtomicFile.WriteAllBytes(path, content);
    }
}
