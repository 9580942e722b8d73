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
        ManifestDirectory = Path.Combine(directory, Path.GetFileNameWithoutExtension(LockPath) + ".d");
    }

    public string LockPath { get; }

    public string ManifestDirectory { get; }

    public LockFile Load() =>
        File.Exists(LockPath)
            ? LockFileSerializer.Deserialize(File.ReadAllBytes(LockPath), Path.GetFileName(LockPath))
            : LockFile.Empty;

    public string ManifestPath(string target, string group) => Path.Combine(ManifestDirectory, target, group + ".tsv");

    /// <summary>Replaces the target's section and manifests with the given records (the items valid now).</summary>
    public void Record(IStage stage, IReadOnlyList<BuildRecord> records, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? groupAttributes = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(records);
        var groups = new SortedDictionary<string, GroupLock>(StringComparer.Ordinal);
        foreach (IGrouping<string, BuildRecord> group in records.GroupBy(record => record.Group))
        {
            byte[] manifest = ItemManifest.Serialize(group);
            WriteIfChanged(ManifestPath(stage.Name, group.Key), manifest);
            IReadOnlyDictionary<string, string> attributes = groupAttributes?.GetValueOrDefault(group.Key)
                ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
            groups[group.Key] = new GroupLock(group.Count(), ItemManifest.DigestOf(manifest), attributes);
        }

        RemoveManifestsOtherThan(stage.Name, groups.Keys);
        var target = new TargetLock(stage.RecipeVersion, stage.Parameters.Values, groups);
        WriteIfChanged(LockPath, LockFileSerializer.Serialize(Load().WithTarget(stage.Name, target)));
    }

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
