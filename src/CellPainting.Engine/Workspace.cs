using CellPainting.Engine.State;

namespace CellPainting.Engine;

/// <summary>
/// Where the engine keeps its local state for one data root (never committed): the stat cache, one build log
/// per stage, and the run lock. Also how many items run at once.
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
        StatCache = StatCache.Load(Path.Combine(StateDirectory, "stat-cache.bin"));
    }

    public string StateDirectory { get; }

    public int Parallelism { get; }

    public StatCache StatCache { get; }

    public string LogPathFor(string stage) => Path.Combine(StateDirectory, "logs", stage + ".log");

    /// <summary>The run lock of a state directory; static because the lock is taken before the state is loaded.</summary>
    public static string RunLockPathFor(string stateDirectory) => Path.Combine(stateDirectory, "run.lock");
}
