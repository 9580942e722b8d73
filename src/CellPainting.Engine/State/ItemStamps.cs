using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.State;

/// <summary>
/// One 64-bit digest of the stamps (size, mtime, inode) of an item's inputs and outputs, in declaration order, with
/// their names. A build record keeps the digest of the stamps its hashes were taken at: while the digest still
/// matches, no file of the item changed, and the record's fingerprint and output hashes stand without looking up a
/// single file hash. Paths are left out: a file renamed keeps its inode, size and mtime, and so its content, and a
/// path with no file has no stamp.
/// </summary>
public static class ItemStamps
{
    /// <summary>Bytes a file adds besides its name: the name's length, size, mtime, inode.</summary>
    private const int NumbersBytes = 4 * sizeof(long);

    /// <summary>The digest of the files' stamps now (read through <paramref name="folders"/>), or null when one of them is missing.</summary>
    public static ulong? Read(WorkItem item, FolderHandles folders)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(folders);
        // On the stack for a site's handful of files: a no-op reads the stamps of every item.
        int count = item.Inputs.Count + item.Outputs.Count;
        Span<FileStamp> stamps = count <= 64 ? stackalloc FileStamp[count] : new FileStamp[count];
        for (int index = 0; index < count; index++)
        {
            string path = index < item.Inputs.Count ? item.Inputs[index].Path : item.Outputs[index - item.Inputs.Count].Path;
            if (folders.TryRead(path) is not { } stamp)
            {
                return null;
            }

            stamps[index] = stamp;
        }

        return Digest(item, stamps);
    }

    /// <summary>The digest of given stamps: those the inputs were hashed at and the outputs written with, in declaration order.</summary>
    public static ulong Of(WorkItem item, IReadOnlyList<FileStamp> inputs, IReadOnlyList<FileStamp> outputs)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count != item.Inputs.Count || outputs.Count != item.Outputs.Count)
        {
            throw new ArgumentException($"Item {item.Id} has {item.Inputs.Count} inputs and {item.Outputs.Count} outputs; {inputs.Count} and {outputs.Count} stamps were given.");
        }

        return Digest(item, [.. inputs, .. outputs]);
    }

    /// <summary>The digest of the stamps of the item's inputs then outputs, in declaration order.</summary>
    private static ulong Digest(WorkItem item, ReadOnlySpan<FileStamp> stamps)
    {
        int length = 0;
        for (int index = 0; index < stamps.Length; index++)
        {
            length += NumbersBytes + (2 * NameOf(item, index).Length);
        }

        byte[]? rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> bytes = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            int written = 0;
            for (int index = 0; index < stamps.Length; index++)
            {
                written += Write(bytes[written..], NameOf(item, index), stamps[index]);
            }

            return XxHash3.HashToUInt64(bytes);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The name of the item's file <paramref name="index"/>, counting its inputs then its outputs.</summary>
    private static string NameOf(WorkItem item, int index) =>
        index < item.Inputs.Count ? item.Inputs[index].Name : item.Outputs[index - item.Inputs.Count].Name;

    /// <summary>One file's part: the name's length first, so that no two lists of names run together into the same bytes.</summary>
    private static int Write(Span<byte> bytes, string name, FileStamp stamp)
    {
        BinaryPrimitives.WriteInt64LittleEndian(bytes, name.Length);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], stamp.Size);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[16..], stamp.MtimeNanoseconds);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], stamp.Inode);
        MemoryMarshal.AsBytes(name.AsSpan()).CopyTo(bytes[NumbersBytes..]);
        return NumbersBytes + (2 * name.Length);
    }
}
