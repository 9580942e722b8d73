using System.Runtime.InteropServices;

namespace CellPainting.Engine.State;

/// <summary>Reads a file's stamp with one system call: statx on Linux (for the inode), FileInfo elsewhere.</summary>
public static unsafe partial class FileStatReader
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int ErrNoEnt = 2;
    private const int ErrNotDir = 20;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    /// <summary>The stamp of <paramref name="path"/>, or null when there is no such file.</summary>
    public static FileStamp? TryRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return OperatingSystem.IsLinux() ? TryReadLinux(path) : TryReadPortable(path);
    }

    private static FileStamp? TryReadLinux(string path)
    {
        // struct statx is 256 bytes and the same on every Linux architecture.
        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ErrNoEnt or ErrNotDir)
            {
                return null;
            }

            throw new IOException($"Cannot stat '{path}': errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        ushort mode = *(ushort*)(buffer + 28);
        if ((mode & 0xF000) == 0x4000)
        {
            return null; // a directory is not a file
        }

        ulong inode = *(ulong*)(buffer + 32);
        long size = *(long*)(buffer + 40);
        long seconds = *(long*)(buffer + 112);
        uint nanoseconds = *(uint*)(buffer + 120);
        return new FileStamp(size, (seconds * 1_000_000_000L) + nanoseconds, inode);
    }

    private static FileStamp? TryReadPortable(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return null;
        }

        long ticks = info.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks;
        return new FileStamp(info.Length, ticks * 100, 0);
    }
}
