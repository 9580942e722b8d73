using System.Buffers;
using CellPainting.Engine.Items;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Planning;

/// <summary>
/// One input's bytes as read to hash it: in a buffer rented from the shared pool when read from a file, or in an array
/// of their own when fetched. A cold build reads megabytes per item; reusing the buffers spares the fresh pages (and
/// their faults) a new array of that size costs on every read, which took more CPU than hashing the bytes.
/// </summary>
internal sealed class InputBytes
{
    private byte[]? buffer;
    private readonly bool rented;

    private InputBytes(byte[] buffer, int length, bool rented)
    {
        this.buffer = buffer;
        Length = length;
        this.rented = rented;
    }

    public int Length { get; }

    /// <summary>The bytes; valid until <see cref="Return"/>.</summary>
    public ReadOnlySpan<byte> Span => new(buffer ?? throw new ObjectDisposedException(nameof(InputBytes)), 0, Length);

    /// <summary>Bytes that came in an array of their own (fetched): nothing to hand back.</summary>
    public static InputBytes Own(byte[] bytes) => new(bytes, bytes.Length, rented: false);

    /// <summary>
    /// Reads the file into a pooled buffer and checks it did not change while being read (same size, same stamp after),
    /// so the hash taken of these bytes matches the stamp it is recorded at.
    /// </summary>
    public static InputBytes ReadStable(string path, FileStamp stamp)
    {
        if (stamp.Size > Array.MaxLength)
        {
            throw new ItemFailedException($"{path} is too large to read into memory ({stamp.Size} bytes)");
        }

        int length = (int)stamp.Size;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            using (var handle = File.OpenHandle(path))
            {
                int read = 0;
                while (read < length)
                {
                    int last = RandomAccess.Read(handle, buffer.AsSpan(read, length - read), read);
                    if (last == 0)
                    {
                        break; // the file shrank: reported below
                    }

                    read += last;
                }

                if (read != length || FileStatReader.TryRead(path) != stamp)
                {
                    throw new ItemFailedException($"{path} changed while it was being read");
                }
            }

            return new InputBytes(buffer, length, rented: true);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Hands a rented buffer back to the pool; the bytes must not be used after. Safe to call twice.</summary>
    public void Return()
    {
        byte[]? returned = Interlocked.Exchange(ref buffer, null);
        if (returned is not null && rented)
        {
            ArrayPool<byte>.Shared.Return(returned);
        }
    }
}
