using System.Globalization;
using System.Text.RegularExpressions;
using CellPainting.Engine.Sharding;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// The shard locks of one run, on storage every shard and the merge can reach: <c>&lt;folder&gt;/shard-K-of-N/</c>
/// holds shard K's lock file and its manifest folder, as a build of just that shard would have written them. A
/// running shard moves its lock into a temporary sibling folder, records there and renames it back when it ends,
/// so a task killed mid-run leaves no lock of that shard (the merge then names it missing), never part of one.
/// </summary>
public sealed partial class ShardLockFolder
{
    private readonly string lockFileName;

    public ShardLockFolder(string directory, string lockFileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(lockFileName);
        Directory = Path.GetFullPath(directory);
        this.lockFileName = lockFileName;
    }

    public string Directory { get; }

    /// <summary>Where shard <paramref name="shard"/>'s lock is once published.</summary>
    public string LockPathOf(Shard shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return Path.Combine(Directory, shard.Name, lockFileName);
    }

    /// <summary>
    /// Starts a shard's lock for this run in a temporary folder, which takes over the shard's published lock (renamed,
    /// so the shard has no lock until this run publishes; a target the run does not build keeps its section), or
    /// else the folder a killed run of this shard left (the published lock it had taken over, with what it recorded).
    /// Only one task runs a shard at a time (its run lock), so those folders have no other writer.
    /// </summary>
    public StagedShardLock Begin(Shard shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        string published = Path.Combine(Directory, shard.Name);
        System.IO.Directory.CreateDirectory(Directory);
        string[] leftovers = System.IO.Directory.EnumerateDirectories(Directory, shard.Name + IO.AtomicFile.TemporaryMarker + "*")
            .Where(folder => IO.AtomicFile.IsTemporaryName(Path.GetFileName(folder)))
            .OrderBy(folder => System.IO.Directory.GetLastWriteTimeUtc(folder))
            .ToArray();
        string staging = IO.AtomicFile.TemporaryPathFor(published);
        string? previous = System.IO.Directory.Exists(published) ? published : leftovers.LastOrDefault();
        if (previous is null)
        {
            System.IO.Directory.CreateDirectory(staging);
        }
        else
        {
            System.IO.Directory.Move(previous, staging);
        }

        foreach (string leftover in leftovers.Where(folder => folder != previous))
        {
            System.IO.Directory.Delete(leftover, recursive: true);
        }

        return new StagedShardLock(new LockStore(Path.Combine(staging, lockFileName)), staging, published);
    }

    /// <summary>
    /// The published shard locks, in shard order, once all N shards of one count are there; otherwise an error
    /// naming the missing shards (and any of another count).
    /// </summary>
    public IReadOnlyList<string> CompleteSet()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new LockFileException($"{Directory}: no such shard lock folder.");
        }

        var found = new SortedDictionary<(int Count, int Index), string>();
        foreach (string folder in System.IO.Directory.EnumerateDirectories(Directory))
        {
            Match match = ShardFolderName().Match(Path.GetFileName(folder));
            if (match.Success && File.Exists(Path.Combine(folder, lockFileName)))
            {
                int index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                int count = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                found[(count, index)] = Path.Combine(folder, lockFileName);
            }
        }

        int[] counts = found.Keys.Select(key => key.Count).Distinct().ToArray();
        if (counts.Length == 0)
        {
            throw new LockFileException($"{Directory}: holds no shard lock (shard-K-of-N/{lockFileName}).");
        }

        if (counts.Length > 1)
        {
            throw new LockFileException($"{Directory}: holds shard locks of {string.Join(" and ", counts.Select(count => $"{count} shards"))}; one run has one shard count.");
        }

        int[] missing = Enumerable.Range(1, counts[0]).Where(index => !found.ContainsKey((counts[0], index))).ToArray();
        return missing.Length > 0
            ? throw new LockFileException($"{Directory}: {string.Join(", ", missing.Select(index => new Shard(index, counts[0]).Name))} missing ({found.Count} of {counts[0]} shards finished); re-run those tasks.")
            : found.Values.ToArray();
    }

    [GeneratedRegex(@"^shard-([1-9][0-9]*)-of-([1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardFolderName();
}
