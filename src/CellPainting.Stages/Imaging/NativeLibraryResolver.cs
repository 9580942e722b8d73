using System.Reflection;
using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// Maps the portable library names used by this assembly's imports ("tiff", "c") to the files each OS ships:
/// the default probing would look for libtiff.so / libc.so, which on Debian exist only with -dev packages
/// (and libc.so is a linker script there).
/// </summary>
internal static class NativeLibraryResolver
{
    internal const string LibTiff = "tiff";
    internal const string LibC = "c";

    private static readonly string[] TiffCandidates = OperatingSystem.IsWindows()
        ? ["tiff.dll", "libtiff-6.dll", "libtiff.dll"]
        : OperatingSystem.IsMacOS()
            ? ["libtiff.6.dylib", "/opt/homebrew/lib/libtiff.6.dylib", "/usr/local/lib/libtiff.6.dylib"]
            : ["libtiff.so.6"];

    private static readonly string[] LibCCandidates = OperatingSystem.IsWindows()
        ? ["msvcrt.dll"]
        : OperatingSystem.IsMacOS()
            ? ["/usr/lib/libSystem.B.dylib"]
            : ["libc.so.6"];

    // An assembly accepts exactly one resolver, so registration happens once, from this type initializer.
    static NativeLibraryResolver() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    /// <summary>Runs the type initializer; call before the first import of either library.</summary>
    internal static void EnsureRegistered()
    {
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string[]? candidates = libraryName switch
        {
            LibTiff => TiffCandidates,
            LibC => LibCCandidates,
            _ => null,
        };
        if (candidates is null)
        {
            return 0;
        }

        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out nint handle))
            {
                return handle;
            }
        }

        // Zero lets the runtime's default probing run and raise DllNotFoundException with its own diagnostics.
        return 0;
    }
}
