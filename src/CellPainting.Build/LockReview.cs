using System.Globalization;
using System.Text;
using CellPainting.Engine;
using CellPainting.Engine.Caching;
using CellPainting.Engine.IO;
using CellPainting.Engine.LockFiles;
using CellPainting.Stages.Caching;
using CellPainting.Stages.Configuration;

namespace CellPainting.Build;

/// <summary>
/// The targets that work on committed locks rather than data: LockDiff (a review summary of the lock against a git
/// revision or another lock file; needs no build session, run lock or data, only the cache when the manifests are
/// kept there) and LockMerge's reading of shard locks.
/// </summary>
public static class LockReview
{
    public const string DefaultBase = "HEAD";
    public const string DefaultFormat = "markdown";

    // A review reads manifests one at a time: its S3 client needs no more connections than that.
    private const int ReviewParallelism = 1;

    /// <summary>
    /// Compares the configured lock (as it is on disk) with <paramref name="baseline"/>: a lock file, or else a git
    /// revision of the repository holding the lock. Prints the summary, or writes it to <paramref name="outPath"/>.
    /// </summary>
    public static LockDiff Diff(BuildOptions options, string baseline, string format, string? outPath, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(baseline);
        Func<LockDiff, byte[]> render = format switch
        {
            "markdown" => diff => Encoding.UTF8.GetBytes(LockDiffMarkdown.Render(diff)),
            "json" => LockDiffJson.Render,
            _ => throw new ArgumentException($"--format: expected markdown or json, found '{format}'."),
        };
        LockSettings settings = ConfigLoader.ReadLockSettings(options.ConfigPath, options.Root);
        string lockPath = settings.LockPath;
        LockSnapshot head = FileLockSnapshot.Open(lockPath, Shown(options.Root, lockPath));
        string baseFile = Path.GetFullPath(baseline, options.Root);
        LockSnapshot before = File.Exists(baseFile)
            ? FileLockSnapshot.Open(baseFile, Shown(options.Root, baseFile))
            : GitLockSnapshot.Open(lockPath, baseline);
        bool inCache = settings.Manifests == ManifestMode.Cache || head.Lock.Manifests == ManifestMode.Cache || before.Lock.Manifests == ManifestMode.Cache;
        ICacheStore? store = inCache ? SharedCache.OpenStore(settings.Cache, settings.Fetch, ReviewParallelism) : null;
        LockDiff lockDiff;
        using (store as IDisposable)
        {
            // Manifests not committed are read from this machine's state, else from the cache: a review only reads.
            IReadOnlyList<IManifestPlace> elsewhere = inCache ? new ManifestStore(Workspace.ManifestFolderFor(settings.State), store, CacheMode.Read).Places : [];
            lockDiff = LockDiff.Between(before, head, elsewhere);
        }

        byte[] rendered = render(lockDiff);
        if (outPath is null)
        {
            (output ?? Console.Out).Write(Encoding.UTF8.GetString(rendered));
        }
        else
        {
            AtomicFile.WriteAllBytes(Path.GetFullPath(outPath, options.Root), rendered);
        }

        return lockDiff;
    }

    /// <summary>Merges the shard locks at <paramref name="sources"/> (lock files, each with its manifest folder) into <paramref name="store"/>.</summary>
    public static IReadOnlyList<MergedTarget> Merge(LockStore store, string root, IEnumerable<string> sources, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(output);
        string[] paths = sources.ToArray();
        if (paths.Length == 0)
        {
            throw new ArgumentException("LockMerge needs the shard locks: --from=<lock file>, once per shard, or --from-run=<run id> for the shard locks of a run.");
        }

        LockSnapshot[] shards = paths.Select(source =>
        {
            string path = Path.GetFullPath(source, root);
            return File.Exists(path) ? FileLockSnapshot.Open(path, Shown(root, path)) : throw new LockFileException($"{source}: no such lock file.");
        }).ToArray();
        IReadOnlyList<MergedTarget> merged = LockMerge.Into(store, shards);
        foreach (MergedTarget target in merged)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"lock merge: {target.Name}: {target.Groups.Count} groups, {target.Groups.Values.Sum(group => group.Items)} items"));
        }

        output.WriteLine($"lock merge: {shards.Length} locks merged into {Shown(root, store.LockPath)}");
        return merged;
    }

    /// <summary>Paths as a review shows them: relative to the repository with '/' separators; a path outside it in full.</summary>
    private static string Shown(string root, string path)
    {
        string relative = Path.GetRelativePath(root, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative).Replace('\\', '/');
    }
}
