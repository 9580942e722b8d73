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

    /// <param name="manifests">Manifests kept out of git: where they are written in <see cref="ManifestMode.Cache"/>, and where readers look after the <c>.d</c> folder when the lock says they are there.</param>
    /// <param name="mode">Where this store writes manifests.</param>
    public LockStore(string lockPath, ManifestStore? manifests = null, ManifestMode mode = ManifestMode.Commit)
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
    /// were, and so does the whole section when no group was listed at all (nothing is known of it now).
    /// </summary>
    public void Record(IStage stage, IReadOnlyList<BuildRecord> records, IReadOnlyCollection<string>? unlisted = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(records);
        IGrouping<string, BuildRecord>[] byGroup = records.GroupBy(record => record.Group).ToArray();
        var manifests = new byte[byGroup.Length][];
        // A full plate's manifest is ~0.5 MB of text, built on every run: the plates' on every core.
        Parallel.For(0, byGroup.Length, index => manifests[index] = ItemManifest.Serialize(byGroup[index]));
        var groups = byGroup.Zip(manifests)
            .ToDictionary(pair => pair.First.Key, pair => new GroupContent(pair.Second, pair.First.Count(), Empty), StringComparer.Ordinal);
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

        // A kept group's manifest stays where it is, in the .d folder too: it may be the only copy.
        string[] keptHere = [.. locks.Keys];
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
    }

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
