using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// The in-memory file behind a libtiff client handle: the caller's pinned bytes when reading, a growable native
/// buffer when writing. libtiff gets a pointer to this struct as its thandle_t and calls the static procedures below.
/// </summary>
internal unsafe struct TiffClientStream
{
    private byte* data;
    private long length;
    private long capacity;
    private long position;
    private bool writable;

    public static TiffClientStream ForReading(byte* data, long length) =>
        new() { data = data, length = length, capacity = length };

    public static TiffClientStream ForWriting(long initialCapacity) =>
        new() { data = (byte*)NativeMemory.Alloc((nuint)initialCapacity), capacity = initialCapacity, writable = true };

    public readonly byte[] ToArray() => new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();

    /// <summary>Frees the buffer a writing stream owns; a reading stream borrows the caller's bytes.</summary>
    public void Release()
    {
        if (writable)
        {
            NativeMemory.Free(data);
            data = null;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static nint Read(TiffClientStream* stream, byte* buffer, nint size)
    {
        long available = stream->length - stream->position;
        if (size <= 0 || available <= 0)
        {
            return 0;
        }

        long count = Math.Min(size, available);
        Buffer.MemoryCopy(stream->data + stream->position, buffer, count, count);
        stream->position += count;
        return (nint)count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static nint Write(TiffClientStream* stream, byte* buffer, nint size)
    {
        if (!stream->writable || size < 0)
        {
            return -1;
        }

        long end = stream->position + size;
        if (end > stream->capacity)
        {
            try
            {
                long grown = Math.Max(end, stream->capacity * 2);
                stream->data = (byte*)NativeMemory.Realloc(stream->data, (nuint)grown);
                stream->capacity = grown;
            }
            catch (OutOfMemoryException)
            {
                // libtiff reports the short write as its own error, which the encoder turns into an exception.
                return -1;
            }
        }

        // libtiff may seek past the end before writing; the gap must read back as zeros.
        if (stream->position > stream->length)
        {
            NativeMemory.Clear(stream->data + stream->length, (nuint)(stream->position - stream->length));
        }

        Buffer.MemoryCopy(buffer, stream->data + stream->position, size, size);
        stream->position = end;
        stream->length = Math.Max(stream->length, end);
        return size;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static ulong Seek(TiffClientStream* stream, ulong offset, int whence)
    {
        long origin = whence switch
        {
            0 => 0,
            1 => stream->position,
            2 => stream->length,
            _ => -1,
        };

        // Offsets arrive as unsigned 64-bit values; relative seeks backwards are two's complement negatives.
        long target = origin + (long)offset;
        if (origin < 0 || target < 0)
        {
            return ulong.MaxValue;
        }

        stream->position = target;
        return (ulong)target;
    }

    /// <summary>Nothing to close: whoever created the stream releases its memory after TIFFClose.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int Close(TiffClientStream* stream) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static ulong Size(TiffClientStream* stream) => (ulong)stream->length;

    /// <summary>Hands libtiff the whole read buffer, so it decodes strips straight from the caller's bytes without copying them.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int Map(TiffClientStream* stream, byte** mappedBase, ulong* mappedSize)
    {
        if (stream->writable)
        {
            return 0;
        }

        *mappedBase = stream->data;
        *mappedSize = (ulong)stream->length;
        return 1;
    }

    /// <summary>Nothing to unmap: <see cref="Map"/> lent the caller's own bytes.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void Unmap(TiffClientStream* stream, byte* mappedBase, ulong mappedSize)
    {
    }
}
