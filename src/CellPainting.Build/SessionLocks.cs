using CellPainting.Engine;
using CellPainting.Engine.Locking;
using CellPainting.Stages.Configuration;

namespace CellPainting.Build;

/// <summary>
/// The run locks one build session holds: its state's, one per plate in the tensors and features folders, and those
/// of the whole-dataset folders the targets writing them take; all released when the session ends. Two builds with
/// their own state but the same output folders cannot interleave their writes.
/// </summary>
internal sealed class SessionLocks : IDisposable
{
    private readonly List<RunLock> held = [];
    private readonly HashSet<string> lockedParts = new(StringComparer.Ordinal);
    private readonly string holder;
    private readonly TimeSpan wait;
    private readonly bool explain;
    private readonly TextWriter output;

    private SessionLocks(BuildConfig config, TimeSpan wait, bool explain, TextWriter output)
    {
        holder = $"build with {config.SourceFile}";
        this.wait = wait;
        this.explain = explain;
        this.output = output;
    }

    /// <summary>
    /// The state's run lock, then one per plate in the tensors and features folders; all or none are held. A shard
    /// takes no plate locks: shards of one run split a plate's sites between them by construction, and a plate's lock
    /// would stop the second; two different runs sharding into the same folders are not kept apart.
    /// </summary>
    public static SessionLocks Take(BuildConfig config, string state, BuildOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var locks = new SessionLocks(config, options.WaitForLock, options.Explain, output);
        try
        {
            locks.held.Add(RunLock.Acquire(Workspace.RunLockPathFor(state), locks.holder, locks.wait, waiting: locks.Waiting));
            if (options.Shard is null)
            {
                locks.TakeOutputs(new[] { config.Local.Tensors, config.Local.Features }
                    .Distinct(StringComparer.Ordinal)
                    .SelectMany(folder => config.Plates.Select(plate => (folder, plate.Barcode)))
                    .ToArray());
            }

            return locks;
        }
        catch
        {
            locks.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Locks parts of output folders (in one order for every build, so two waiting builds cannot deadlock), within
    /// the session's wait; a part locked earlier in the session is held already. An explain writes no outputs: it
    /// takes none and leaves no lock files among them.
    /// </summary>
    public void TakeOutputs(IReadOnlyList<(string Folder, string Name)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (explain)
        {
            return;
        }

        DateTime deadline = DateTime.UtcNow + wait;
        foreach ((string folder, string name) in parts.OrderBy(part => RunLock.OutputLockPath(part.Folder, part.Name), StringComparer.Ordinal))
        {
            string path = RunLock.OutputLockPath(folder, name);
            if (!lockedParts.Add(path))
            {
                continue;
            }

            try
            {
                TimeSpan remaining = deadline > DateTime.UtcNow ? deadline - DateTime.UtcNow : TimeSpan.Zero;
                held.Add(RunLock.Acquire(path, holder, remaining, $"the outputs '{name}' in {folder}", Waiting));
            }
            catch (UnauthorizedAccessException)
            {
                // A folder this build may not write to, it cannot spoil either (a read-only copy being verified).
            }
        }
    }

    public void Dispose()
    {
        foreach (RunLock runLock in held)
        {
            runLock.Dispose();
        }

        held.Clear();
    }

    private void Waiting(string message) => output.WriteLine($"run lock: {message}");
}
