using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace CellPainting.Engine.State;

/// <summary>
/// Folders held open while a part's items are checked, so that a file's stamp is read relative to its folder (statx
/// at a directory descriptor) instead of walking its whole path again: a plate's 17k inputs share one folder, and the
/// path walk was a fifth of a no-op's statx time. Held for one part only: a folder replaced while held would be read
/// through its old descriptor. Safe to use from several threads; disposed once they are done.
/// </summary>
public sealed partial class FolderHandles : IDisposable
{
    /// <summary>O_PATH | O_CLOEXEC (the same on x86-64 and arm64): a descriptor to look names up in, nothing else.</summary>
    private const int OpenForLookup = 0x200000 | 0x80000;

    /// <summary>A folder that did not open: its files are read by their paths.</summary>
    private const int NotOpen = -1;

    private readonly ConcurrentDictionary<string, int> folders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> byName;

    public FolderHandles() => byName = folders.GetAlternateLookup<ReadOnlySpan<char>>();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>The stamp of <paramref name="path"/>, or null when there is no such file (as <see cref="FileStatReader.TryRead"/>).</summary>
    public FileStamp? TryRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int slash = path.LastIndexOf('/');
        if (!OperatingSystem.IsLinux() || slash <= 0 || slash == path.Length - 1)
        {
            return FileStatReader.TryRead(path);
        }

        int fd = FolderOf(path.AsSpan(0, slash));
        return fd == NotOpen ? FileStatReader.TryRead(path) : FileStatReader.TryReadAt(fd, path, slash + 1);
    }

    public void Dispose()
    {
        foreach (int fd in folders.Values)
        {
            if (fd != NotOpen)
            {
                Close(fd);
            }
        }

        folders.Clear();
    }

    private int FolderOf(ReadOnlySpan<char> folder)
    {
        if (byName.TryGetValue(folder, out int fd))
        {
            return fd;
        }

        // A folder missing now (the outputs' before the first is written) is not looked for again in this part: its
        // files are read by their paths, which is always right.
        string name = folder.ToString();
        fd = Math.Max(Open(name, OpenForLookup), NotOpen);
        if (!folders.TryAdd(name, fd))
        {
            if (fd != NotOpen)
            {
                Close(fd); // another thread opened it first
            }

            fd = folders[name];
        }

        return fd;
    }
}
