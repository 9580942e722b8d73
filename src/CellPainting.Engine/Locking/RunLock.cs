namespace CellPainting.Engine.Locking;

/// <summary>
/// One build at a time per data root. Held through an exclusive OS lock on a file, so a killed holder never
/// leaves a stale lock behind; a second build refuses at once and says who holds it.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream handle;
    private readonly string ownerPath;

    private RunLock(FileStream handle, string ownerPath)
    {
        this.handle = handle;
        this.ownerPath = ownerPath;
    }

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> for another build to finish.</summary>
    public static RunLock Acquire(string path, string description, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(description);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string ownerPath = path + ".owner";
        DateTime deadline = DateTime.UtcNow + wait;
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
                Thread.Sleep(200);
            }
            catch (IOException exception)
            {
                string owner = File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "another process";
                throw new RunLockedException(
                    $"Another build is running on this data root ({owner}); its lock is {path}. Wait for it to finish, or pass --wait-lock=<seconds>.",
                    exception);
            }
        }
    }

    public void Dispose()
    {
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
}
