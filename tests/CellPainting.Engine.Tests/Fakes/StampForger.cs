using System.Runtime.InteropServices;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>
/// Changes a file's content while keeping its stamp (size, inode, mtime to the nanosecond): the one way to see,
/// from outside, whether the engine read a file or trusted its stat cache. Linux only (utimensat).
/// </summary>
public static partial class StampForger
{
    private const int AtFdCwd = -100;
    private const long UtimeOmit = (1L << 30) - 2;

    public static bool IsSupported => OperatingSystem.IsLinux() && (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64);

    /// <summary>Overwrites <paramref name="path"/> in place with content of the same length and puts its mtime back.</summary>
    public static void OverwriteKeepingStamp(string path, byte[] content)
    {
        FileStamp before = FileStatReader.TryRead(path) ?? throw new FileNotFoundException(path);
        if (content.LongLength != before.Size)
        {
            throw new ArgumentException($"The new content must keep the size ({before.Size} bytes).", nameof(content));
        }

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Write(content);
        }

        SetMtime(path, before.MtimeNanoseconds);
        FileStamp after = FileStatReader.TryRead(path)!.Value;
        if (after != before)
        {
            throw new InvalidOperationException($"Could not keep the stamp of {path}: {before} became {after}.");
        }
    }

    /// <summary>Turns every letter of the file to upper case, keeping its stamp.</summary>
    public static void ShoutKeepingStamp(string path) =>
        OverwriteKeepingStamp(path, File.ReadAllBytes(path).Select(letter => (byte)char.ToUpperInvariant((char)letter)).ToArray());

    public static void SetMtime(string path, long mtimeNanoseconds)
    {
        Timespec[] times =
        [
            new(0, UtimeOmit),
            new(mtimeNanoseconds / 1_000_000_000, mtimeNanoseconds % 1_000_000_000),
        ];
        if (Utimensat(AtFdCwd, path, times, 0) != 0)
        {
            throw new IOException($"utimensat failed for {path}: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Utimensat(int directoryFd, string path, [In] Timespec[] times, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);
}
