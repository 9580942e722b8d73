using CellPainting.Engine.State;

namespace CellPainting.Engine;

/// <summary>
/// Where the engine keeps its local state for one data root (never committed): the stat cache, one build log
/// per stage, lock manifests kept in the cache, what it recorded of the lock's manifests, and the run lock. Also how
/// many items run at once.
/// </summary>
public sealed class Workspace
{
    public Workspace(string stateDirectory, int parallelism)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelism);
        StateDirectory = Path.GetFullPath(stateDirectory);
        Parallelism = parallelism;
        Directory.CreateDirectory(StateDirectory);
        // The stat cache of format 1, one file for every directory: replaced by one shard per directory.
        File.Delete(Path.Combine(StateDirectory, "stat-cache.bin"));
        StatCache = StatCache.Load(StatCacheFolderFor(StateDirectory));
    }

    public string StateDirectory { get; }

    public int Parallelism { get; }

    public StatCache StatCache { get; }

    /// <summary>The folder of a state directory's stat cache shards.</summary>
    public static string StatCacheFolderFor(string stateDirectory) => Path.Combine(stateDirectory, "stat-cache");

    /// <summary>The folder of the stages' build logs.</summary>
    public string LogsFolder => Path.Combine(StateDirectory, "logs");

    /// <summary>The folder of a stage's build log (a file per item group).</summary>
    public string LogFolderFor(string stage) => Path.Combine(LogsFolder, stage);

    /// <summary>The folder of a state directory's copies of lock manifests kept in the cache (see <see cref="LockFiles.ManifestStore"/>).</summary>
    public static string ManifestFolderFor(string stateDirectory) => Path.Combine(stateDirectory, "manifests");

    /// <summary>What a state directory remembers of the lock manifests it recorded (see <see cref="LockFiles.RecordedManifests"/>).</summary>
    public static string RecordedManifestsFolderFor(string stateDirectory) => Path.Combine(stateDirectory, "recorded-manifests");

    /// <summary>The run lock of a state directory; static because the lock is taken before the state is loaded.</summary>
    public static string RunLockPathFor(string stateDirectory) => Path.Combine(stateDirectory, "run.lock");
}
