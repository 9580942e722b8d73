using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>The C library's vsnprintf, needed to expand the printf-style messages libtiff hands to its error handlers.</summary>
internal static unsafe partial class CRuntime
{
    static CRuntime() => NativeLibraryResolver.EnsureRegistered();

    /// <summary>
    /// Formats <paramref name="format"/> with the C va_list <paramref name="arguments"/> into a NUL-terminated UTF-8
    /// buffer, truncating long text. A va_list travels as one pointer-sized argument on every supported ABI
    /// (x64 System V and AArch64 pass the list by reference, Windows x64 passes a char*), and it can be consumed
    /// only once, so this formats into a fixed buffer instead of measuring first.
    /// </summary>
    internal static string FormatVarArgs(byte* format, nint arguments)
    {
        const int capacity = 1024;
        byte* buffer = stackalloc byte[capacity];
        int written = OperatingSystem.IsWindows()
            ? WindowsFormat(buffer, capacity, format, arguments)
            : UnixFormat(buffer, capacity, format, arguments);

        // Windows' _vsnprintf leaves the buffer unterminated when it truncates.
        buffer[capacity - 1] = 0;
        return written < 0 && buffer[0] == 0
            ? "(message could not be formatted) " + Marshal.PtrToStringUTF8((nint)format)
            : Marshal.PtrToStringUTF8((nint)buffer)!;
    }

    [LibraryImport(NativeLibraryResolver.LibC, EntryPoint = "vsnprintf")]
    private static partial int UnixFormat(byte* buffer, nuint size, byte* format, nint arguments);

    [LibraryImport(NativeLibraryResolver.LibC, EntryPoint = "_vsnprintf")]
    private static partial int WindowsFormat(byte* buffer, nuint size, byte* format, nint arguments);
}
