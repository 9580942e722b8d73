using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>The few libtiff (4.5+, libtiff.so.6) entry points the TIFF codec needs, plus tag numbers.</summary>
/// <remarks>
/// TIFFGetField/TIFFSetField are C variadic functions, bound here with fixed signatures: that matches the calling
/// convention of x64 (System V and Windows) and Linux AArch64, but not Apple AArch64, where variadic arguments go on the stack.
/// </remarks>
internal static unsafe partial class LibTiff
{
    internal const uint ImageWidth = 256;
    internal const uint ImageLength = 257;
    internal const uint BitsPerSample = 258;
    internal const uint Compression = 259;
    internal const uint Photometric = 262;
    internal const uint FillOrder = 266;
    internal const uint SamplesPerPixel = 277;
    internal const uint RowsPerStrip = 278;
    internal const uint PlanarConfig = 284;
    internal const uint Predictor = 317;
    internal const uint TileWidth = 322;
    internal const uint TileLength = 323;
    internal const uint SampleFormat = 339;

    static LibTiff()
    {
        NativeLibraryResolver.EnsureRegistered();

        // Messages about our handles go to the per-handle handlers; silencing the process-wide defaults keeps
        // anything libtiff reports without a handle off stderr as well.
        TIFFSetErrorHandler(null);
        TIFFSetWarningHandler(null);
    }

    /// <summary>
    /// Opens a libtiff handle over <paramref name="stream"/>, reporting to <paramref name="log"/>; returns 0 on failure
    /// (the reason is then in the log). The stream and log must outlive the handle.
    /// </summary>
    internal static nint Open(TiffClientStream* stream, string name, string mode, TiffMessageLog log)
    {
        nint options = TIFFOpenOptionsAlloc();
        if (options == 0)
        {
            throw new OutOfMemoryException("libtiff could not allocate its open options.");
        }

        try
        {
            TIFFOpenOptionsSetErrorHandlerExtR(options, &TiffMessageLog.OnError, log.UserData);
            TIFFOpenOptionsSetWarningHandlerExtR(options, &TiffMessageLog.OnWarning, log.UserData);
            return TIFFClientOpenExt(
                name,
                mode,
                stream,
                &TiffClientStream.Read,
                &TiffClientStream.Write,
                &TiffClientStream.Seek,
                &TiffClientStream.Close,
                &TiffClientStream.Size,
                &TiffClientStream.Map,
                &TiffClientStream.Unmap,
                options);
        }
        finally
        {
            // libtiff copies the options into the handle, so they can go straight away.
            TIFFOpenOptionsFree(options);
        }
    }

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    private static partial nint TIFFSetErrorHandler(delegate* unmanaged[Cdecl]<byte*, byte*, nint, void> handler);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    private static partial nint TIFFSetWarningHandler(delegate* unmanaged[Cdecl]<byte*, byte*, nint, void> handler);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    private static partial nint TIFFOpenOptionsAlloc();

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    private static partial void TIFFOpenOptionsFree(nint options);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    private static partial void TIFFOpenOptionsSetErrorHandlerExtR(
        nint options, delegate* unmanaged[Cdecl]<nint, nint, byte*, byte*, nint, int> handler, nint userData);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    private static partial void TIFFOpenOptionsSetWarningHandlerExtR(
        nint options, delegate* unmanaged[Cdecl]<nint, nint, byte*, byte*, nint, int> handler, nint userData);

    [LibraryImport(NativeLibraryResolver.LibTiff, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint TIFFClientOpenExt(
        string name,
        string mode,
        TiffClientStream* clientData,
        delegate* unmanaged[Cdecl]<TiffClientStream*, byte*, nint, nint> read,
        delegate* unmanaged[Cdecl]<TiffClientStream*, byte*, nint, nint> write,
        delegate* unmanaged[Cdecl]<TiffClientStream*, ulong, int, ulong> seek,
        delegate* unmanaged[Cdecl]<TiffClientStream*, int> close,
        delegate* unmanaged[Cdecl]<TiffClientStream*, ulong> size,
        delegate* unmanaged[Cdecl]<TiffClientStream*, byte**, ulong*, int> map,
        delegate* unmanaged[Cdecl]<TiffClientStream*, byte*, ulong, void> unmap,
        nint options);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial void TIFFClose(nint tiff);

    [LibraryImport(NativeLibraryResolver.LibTiff, EntryPoint = "TIFFGetField")]
    internal static partial int GetFieldUInt16(nint tiff, uint tag, ushort* value);

    [LibraryImport(NativeLibraryResolver.LibTiff, EntryPoint = "TIFFGetField")]
    internal static partial int GetFieldUInt32(nint tiff, uint tag, uint* value);

    /// <summary>TIFFGetFieldDefaulted: the tag's value, or the TIFF specification's default when the file omits it.</summary>
    [LibraryImport(NativeLibraryResolver.LibTiff, EntryPoint = "TIFFGetFieldDefaulted")]
    internal static partial int GetFieldDefaultedUInt16(nint tiff, uint tag, ushort* value);

    [LibraryImport(NativeLibraryResolver.LibTiff, EntryPoint = "TIFFGetFieldDefaulted")]
    internal static partial int GetFieldDefaultedUInt32(nint tiff, uint tag, uint* value);

    /// <summary>TIFFSetField for integer tags; 16-bit tags are read back by libtiff as a promoted int, so one 32-bit binding serves both.</summary>
    [LibraryImport(NativeLibraryResolver.LibTiff, EntryPoint = "TIFFSetField")]
    internal static partial int SetField(nint tiff, uint tag, uint value);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial int TIFFIsTiled(nint tiff);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial uint TIFFNumberOfStrips(nint tiff);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial nint TIFFTileSize(nint tiff);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial ulong TIFFGetStrileOffset(nint tiff, uint strile);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial ulong TIFFGetStrileByteCount(nint tiff, uint strile);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial int TIFFIsByteSwapped(nint tiff);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial uint TIFFComputeTile(nint tiff, uint x, uint y, uint z, ushort sample);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial nint TIFFReadEncodedStrip(nint tiff, uint strip, void* buffer, nint size);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial nint TIFFReadEncodedTile(nint tiff, uint tile, void* buffer, nint size);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial nint TIFFWriteEncodedStrip(nint tiff, uint strip, void* data, nint size);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial nint TIFFWriteEncodedTile(nint tiff, uint tile, void* data, nint size);

    [LibraryImport(NativeLibraryResolver.LibTiff)]
    internal static partial int TIFFWriteDirectory(nint tiff);
}
