using System.Globalization;

namespace CellPainting.Engine.Locking;

/// <summary>
/// One build at a time per data root and per output folder. Held through an exclusive OS lock on a file, so a
/// killed holder never leaves a stale lock behind; a second build refuses at once (or waits, saying for whom) and
/// says who holds it.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The folder, inside an output folder, that holds the locks of the builds writing there (never an output).</summary>
    public const string OutputLockFolder = ".cpbuild-run";

    private readonly FileStream handle;
    private readonly string ownerPath;
    private bool disposed;

    private RunLock(FileStream handle, string ownerPath)
    {
        this.handle = handle;
        this.ownerPath = ownerPath;
    }

    /// <summary>The lock of part <paramref name="name"/> of an output folder (a plate's files, say).</summary>
    public static string OutputLockPath(string outputFolder, string name) => Path.Combine(outputFolder, OutputLockFolder, name + ".lock");

    /// <summary>True for a file in an output folder's lock folder: the one test every scan of outputs uses to pass over locks.</summary>
    public static bool IsOutputLock(string path) => Path.GetFileName(Path.GetDirectoryName(path)) == OutputLockFolder;

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> for another build to finish.</summary>
    /// <param name="guarded">What the lock keeps to one build, for messages ("this data root", "the output folder …").</param>
    /// <param name="waiting">Told once, when the lock is held by another build and this one starts to wait.</param>
    public static RunLock Acquire(string path, string description, TimeSpan wait, string guarded = "this data root", Action<string>? waiting = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(guarded);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string ownerPath = path + ".owner";
        DateTime deadline = DateTime.UtcNow + wait;
        bool told = false;
        while (true)
        {
            try
            {
                var handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                File.WriteAllText(ownerPath, $"pid {Environment.ProcessId}: {description}\n");
                return new RunLock(handle, ownerPath);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!told)
                {
                    waiting?.Invoke(string.Create(CultureInfo.InvariantCulture, $"waiting up to {wait.TotalSeconds:0} s for the build on {guarded} ({Owner(ownerPath)}) to finish; its lock is {path}"));
                    told = true;
                }

                Thread.Sleep(200);
            }
            catch (IOException exception)
            {
                throw new RunLockedException(
                    $"Another build is running on {guarded} ({Owner(ownerPath)}); its lock is {path}. Wait for it to finish, or pass --wait-lock=<seconds>.",
                    exception);
            }
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            File.Delete(ownerPath);
        }
        catch (IOException)
        {
            // The owner note is only a courtesy for error messages.
        }

        handle.Dispose();
    }

    private static string Owner(string ownerPath)
    {
        try
        {
            return File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "another process";
        }
        catch (IOException)
        {
            return "another process"; // the holder is writing or removing its note right now
        }
    }
}
