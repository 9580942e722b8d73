using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.State;

/// <summary>
/// One 64-bit digest of the stamps (size, mtime, inode) of an item's inputs and outputs, with their names and paths.
/// A build record keeps the digest of the stamps its hashes were taken at: while the digest still matches, no file
/// of the item changed, and the record's fingerprint and output hashes stand without looking up a single file hash.
/// </summary>
public static class ItemStamps
{
    /// <summary>The digest of the files' stamps now, or null when one of them is missing.</summary>
    public static ulong? Read(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var inputs = new FileStamp[item.Inputs.Count];
        for (int index = 0; index < inputs.Length; index++)
        {
            if (FileStatReader.TryRead(item.Inputs[index].Path) is not { } stamp)
            {
                return null;
            }

            inputs[index] = stamp;
        }

        var outputs = new FileStamp[item.Outputs.Count];
        for (int index = 0; index < outputs.Length; index++)
        {
            if (FileStatReader.TryRead(item.Outputs[index].Path) is not { } stamp)
            {
                return null;
            }

            outputs[index] = stamp;
        }

        return Of(item, inputs, outputs);
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

        var digest = new XxHash3();
        for (int index = 0; index < inputs.Count; index++)
        {
            Add(digest, item.Inputs[index].Name, item.Inputs[index].Path, inputs[index]);
        }

        for (int index = 0; index < outputs.Count; index++)
        {
            Add(digest, item.Outputs[index].Name, item.Outputs[index].Path, outputs[index]);
        }

        return digest.GetCurrentHashAsUInt64();
    }

    private static void Add(XxHash3 digest, string name, string path, FileStamp stamp)
    {
        // Lengths first, so that no two lists of names and paths run together into the same bytes.
        Span<byte> numbers = stackalloc byte[5 * sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(numbers, name.Length);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[8..], path.Length);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[16..], stamp.Size);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[24..], stamp.MtimeNanoseconds);
        BinaryPrimitives.WriteUInt64LittleEndian(numbers[32..], stamp.Inode);
        digest.Append(numbers);
        digest.Append(MemoryMarshal.AsBytes(name.AsSpan()));
        digest.Append(MemoryMarshal.AsBytes(path.AsSpan()));
    }
}
