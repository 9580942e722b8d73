using System.Text;
using CellPainting.Engine.IO;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// The lock on disk: <c>data.lock.json</c> plus one manifest per target and group, committed under
/// <c>data.lock.d/</c> or, with <see cref="ManifestMode.Cache"/>, kept in a <see cref="ManifestStore"/> (local state
/// and the shared cache) by digest. Every file is written atomically and only when its bytes change.
/// </summary>
public sealed class LockStore
{
    private readonly ManifestFolder folder;
    private readonly RecordedManifests? recorded;

    /// <param name="manifests">Manifests kept out of git: where they are written in <see cref="ManifestMode.Cache"/>, and where readers look after the <c>.d</c> folder when the lock says they are there.</param>
    /// <param name="mode">Where this store writes manifests.</param>
    /// <param name="recorded">What local state remembers of the manifests it recorded, so that those still in place are not made again; null to make every one.</param>
    public LockStore(string lockPath, ManifestStore? manifests = null, ManifestMode mode = ManifestMode.Commit, RecordedManifests? recorded = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockPath);
        if (mode == ManifestMode.Cache && manifests is null)
        {
            throw new ArgumentException("Manifests kept in the cache need a manifest store.", nameof(manifests));
        }

        LockPath = Path.GetFullPath(lockPath);
        string directory = Path.GetDirectoryName(LockPath)!;
        ManifestDirectory = Path.Combine(directory, ManifestDirectoryName(LockPath));
        folder = new ManifestFolder(LockPath, Path.GetFileName(LockPath));
        Manifests = manifests;
        Mode = mode;
        this.recorded = recorded;
    }

    public string LockPath { get; }

    public string ManifestDirectory { get; }

    public ManifestStore? Manifests { get; }

    public ManifestMode Mode { get; }

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
    /// were, and so does the whole section when no group was listed at all (nothing is known of it now). A group
    /// whose records are those its manifest in place was made from keeps its entry without the manifest being made.
    /// </summary>
    public void Record(IStage stage, IReadOnlyList<BuildRecord> records, IReadOnlyCollection<string>? unlisted = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(records);
        LockFile current = Load();
        IGrouping<string, BuildRecord>[] byGroup = records.GroupBy(record => record.Group).ToArray();
        if (unlisted is { Count: > 0 } && byGroup.Length == 0 && current.Targets.ContainsKey(stage.Name))
        {
            return;
        }

        // Keys, then manifests, on every core: a full plate's manifest is ~0.5 MB of text, its key a fraction of that work.
        string[] keys = new string[byGroup.Length];
        Parallel.For(0, byGroup.Length, index => keys[index] = recorded is null ? string.Empty : RecordedManifests.KeyOf(byGroup[index]));
        TargetLock? previous = current.Targets.GetValueOrDefault(stage.Name);
        GroupLock?[] inPlace = byGroup.Select((group, index) => InPlace(stage.Name, group.Key, group.Count(), keys[index], previous)).ToArray();
        var manifests = new byte[byGroup.Length][];
        Parallel.For(0, byGroup.Length, index => manifests[index] = inPlace[index] is null ? ItemManifest.Serialize(byGroup[index]) : []);
        var groups = new Dictionary<string, GroupContent>(StringComparer.Ordinal);
        var placed = new Dictionary<string, GroupLock>(StringComparer.Ordinal);
        for (int index = 0; index < byGroup.Length; index++)
        {
            if (inPlace[index] is { } entry)
            {
                placed[byGroup[index].Key] = entry;
            }
            else
            {
                groups[byGroup[index].Key] = new GroupContent(manifests[index], byGroup[index].Count(), Empty);
            }
        }

        unlisted ??= [];
        SortedDictionary<string, GroupLock> locks = Write(current, stage.Name, stage.RecipeVersion, stage.Parameters.Values, groups, placed, unlisted);
        // An unlisted group's entry is the one it had, not one made from these records.
        recorded?.Remember(stage.Name, byGroup.Select((group, index) => (group.Key, keys[index]))
            .Where(group => !unlisted.Contains(group.Key))
            .Select(group => (group.Key, group.Item2, locks[group.Key].Digest, FileOf(stage.Name, group.Key, locks[group.Key].Digest)))
            .ToArray());
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
        Write(Load(), target, recipeVersion, parameters, groups, new Dictionary<string, GroupLock>(), kept ?? []);
    }

    /// <summary>
    /// Writes a target's section: the <paramref name="kept"/> groups as the current lock has them, the
    /// <paramref name="inPlace"/> groups with the entries given (their manifests are where they belong already), the
    /// others with their manifests written. Returns the section's groups.
    /// </summary>
    private SortedDictionary<string, GroupLock> Write(LockFile current, string target, int recipeVersion, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, GroupContent> groups, IReadOnlyDictionary<string, GroupLock> inPlace, IReadOnlyCollection<string> kept)
    {
        var locks = new SortedDictionary<string, GroupLock>(StringComparer.Ordinal);
        if (kept.Count > 0 && current.Targets.TryGetValue(target, out TargetLock? previous))
        {
            foreach (string name in kept.Where(previous.Groups.ContainsKey))
            {
                locks[name] = previous.Groups[name];
            }
        }

        // A kept group's manifest stays where it is, in the .d folder too: it may be the only copy.
        string[] keptHere = [.. locks.Keys];
        foreach ((string name, GroupLock entry) in inPlace.Where(group => !locks.ContainsKey(group.Key)))
        {
            locks[name] = entry;
        }

        KeyValuePair<string, GroupContent>[] written = groups.Where(group => !locks.ContainsKey(group.Key)).ToArray();
        var digests = new string[written.Length];
        // Hashing a plate's manifest (~0.5 MB) is pure work: on every core; the files are compared and written in order.
        Parallel.For(0, written.Length, index => digests[index] = ItemManifest.DigestOf(written[index].Value.Manifest));
        foreach (((string name, GroupContent content), string digest) in written.Zip(digests))
        {
            if (Mode == ManifestMode.Commit)
            {
                WriteIfChanged(ManifestPath(target, name), content.Manifest);
            }
            else
            {
                Manifests!.Keep(content.Manifest);
            }

            locks[name] = new GroupLock(content.Items, digest, content.Attributes);
        }

        RemoveManifestsOtherThan(target, Mode == ManifestMode.Commit ? locks.Keys : keptHere);
        // Blobs before the lock that names them, as the item cache uploads blobs before entries.
        Manifests?.UploadPending();
        var section = new TargetLock(recipeVersion, parameters, locks);
        WriteIfChanged(LockPath, LockFileSerializer.Serialize(current.WithTarget(target, section) with { Manifests = Mode }));
        return locks;
    }

    /// <summary>
    /// The lock's entry for a group whose manifest is in place: made from records of <paramref name="key"/>, with
    /// the same items and digest as the lock says, in a file untouched since it was recorded. Null otherwise.
    /// </summary>
    private GroupLock? InPlace(string target, string group, int items, string key, TargetLock? previous)
    {
        if (recorded is null || previous?.Groups.GetValueOrDefault(group) is not { Attributes.Count: 0 } entry || entry.Items != items)
        {
            return null;
        }

        return recorded.Holds(target, group, key, entry.Digest, () => FileOf(target, group, entry.Digest)) ? entry : null;
    }

    /// <summary>The file holding a group's manifest of <paramref name="digest"/>: in the <c>.d</c> folder, or the local copy of one kept in the cache.</summary>
    private string FileOf(string target, string group, string digest) =>
        Mode == ManifestMode.Commit ? ManifestPath(target, group) : Manifests!.PathOf(digest["sha256:".Length..]);

    /// <summary>The manifest of a group, or null when the lock has none; a manifest no place has is an error naming the places looked.</summary>
    public string? ReadManifest(string target, string group)
    {
        if (!Load().Targets.TryGetValue(target, out TargetLock? section) || !section.Groups.TryGetValue(group, out GroupLock? locked))
        {
            return null;
        }

        return Encoding.UTF8.GetString(Find([new ManifestRequest(new GroupKey(target, group), locked.Digest)])[0].Require(Path.GetFileName(LockPath)));
    }

    /// <summary>
    /// Looks for manifests in the <c>.d</c> folder, then, when this store writes them there or the lock says they are
    /// there, in local state and the cache; every answer is kept (Verify reports rather than fails).
    /// </summary>
    public IReadOnlyList<ManifestLookup> Find(IReadOnlyList<ManifestRequest> requests)
    {
        bool elsewhere = Manifests is not null && (Mode == ManifestMode.Cache || Load().Manifests == ManifestMode.Cache);
        return new ManifestChain([folder, .. elsewhere ? Manifests!.Places : []]).Find(requests);
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

        // Manifests kept in the cache leave no empty folders behind for git to ignore and people to wonder about.
        foreach (string emptied in new[] { directory, ManifestDirectory }.Where(path => !Directory.EnumerateFileSystemEntries(path).Any()))
        {
            Directory.Delete(emptied);
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
