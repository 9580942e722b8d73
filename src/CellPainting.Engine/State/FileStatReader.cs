using System.Runtime.InteropServices;

namespace CellPainting.Engine.State;

/// <summary>Reads a file's stamp with one system call: statx on Linux (for the inode), FileInfo elsewhere.</summary>
public static unsafe partial class FileStatReader
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int ErrNoEnt = 2;
    private const int ErrNotDir = 20;

    /// <summary>The most bytes of a name <see cref="TryReadAt"/> spells on the stack; a longer one is read by its path.</summary>
    private const int NameBytes = 1024;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int directoryFd, byte* name, int flags, uint mask, byte* buffer);

    /// <summary>The stamp of <paramref name="path"/>, or null when there is no such file.</summary>
    public static FileStamp? TryRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return OperatingSystem.IsLinux() ? TryReadLinux(path) : TryReadPortable(path);
    }

    /// <summary>
    /// The stamp of <paramref name="path"/> read as the name after <paramref name="nameStart"/> in the directory open
    /// as <paramref name="directoryFd"/> (Linux only): the kernel looks up one name instead of walking the whole path.
    /// </summary>
    internal static FileStamp? TryReadAt(int directoryFd, string path, int nameStart)
    {
        ReadOnlySpan<char> name = path.AsSpan(nameStart);
        if (name.Length * 3 >= NameBytes)
        {
            return TryReadLinux(path);
        }

        byte* spelled = stackalloc byte[NameBytes];
        int length = System.Text.Encoding.UTF8.GetBytes(name, new Span<byte>(spelled, NameBytes - 1));
        spelled[length] = 0;
        byte* buffer = stackalloc byte[256];
        return Statx(directoryFd, spelled, 0, StatxBasicStats, buffer) == 0 ? StampOf(buffer) : Missing(path);
    }

    private static FileStamp? TryReadLinux(string path)
    {
        // struct statx is 256 bytes and the same on every Linux architecture.
        byte* buffer = stackalloc byte[256];
        return Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) == 0 ? StampOf(buffer) : Missing(path);
    }

    /// <summary>Null for the errors that say there is no such file; an exception naming the path for any other.</summary>
    private static FileStamp? Missing(string path)
    {
        int errno = Marshal.GetLastPInvokeError();
        return errno is ErrNoEnt or ErrNotDir
            ? null
            : throw new IOException($"Cannot stat '{path}': errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
    }

    private static FileStamp? StampOf(byte* buffer)
    {
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
