using System.Runtime.InteropServices;
using System.Text;

namespace CellPainting.Stages.Torch;

/// <summary>
/// Writes and reads PyTorch .pt files holding one bare, contiguous float32 tensor, byte-compatible with
/// what a current <c>torch.save(t, "&lt;dir&gt;/&lt;stem&gt;.pt")</c> writes (see TorchZipWriter for the container).
/// </summary>
public static class TorchFile
{
    private const string PickleRecord = "data.pkl";
    private const string VersionRecord = "version";
    private const string ByteOrderRecord = "byteorder";
    private const string StorageRecordFolder = "data/";

    /// <summary>
    /// Writes <paramref name="data"/> as a tensor of <paramref name="shape"/> to <paramref name="destination"/>,
    /// from its current position, with records data.pkl, .format_version, .storage_alignment, byteorder,
    /// data/0, version and .data/serialization_id under the folder <paramref name="recordPrefix"/>.
    /// Identical inputs give identical bytes.
    /// </summary>
    /// <param name="destination">A writable stream; it is neither flushed nor closed.</param>
    /// <param name="recordPrefix">The archive folder; torch.save uses the file name without its extension.</param>
    /// <param name="shape">Dimensions, outermost first; their product must equal the length of <paramref name="data"/>.</param>
    /// <param name="data">The elements in C order.</param>
    public static void WriteFloat32(Stream destination, string recordPrefix, ReadOnlySpan<int> shape, ReadOnlySpan<float> data)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(recordPrefix);
        ValidatePrefix(recordPrefix);
        long elementCount = ElementCount(shape);
        if (elementCount != data.Length)
        {
            throw new ArgumentException($"The shape holds {elementCount} elements but {data.Length} were given.", nameof(data));
        }

        EnsureLittleEndian();
        var zip = new TorchZipWriter(destination, recordPrefix);
        zip.WriteRecord(PickleRecord, TensorPickle.Write(shape, elementCount));
        zip.WriteRecord(".format_version", "1"u8);
        zip.WriteRecord(".storage_alignment", "64"u8);
        zip.WriteRecord(ByteOrderRecord, "little"u8);
        // The storage goes out straight from the caller's span: no copy of the (multi-megabyte) tensor.
        zip.WriteRecord(StorageRecordFolder + "0", MemoryMarshal.AsBytes(data));
        zip.WriteRecord(VersionRecord, "3\n"u8);
        zip.WriteRecord(".data/serialization_id", Encoding.ASCII.GetBytes(TorchSerializationId.ForBareTensor(zip.CombinedDescriptorCrc)));
        zip.Finish();
    }

    /// <summary>
    /// Reads a .pt file holding one bare float32 tensor that owns its whole storage, as written by
    /// <see cref="WriteFloat32"/> or by torch.save (also torch 1.13's files without .format_version and
    /// byteorder). Every record read is CRC-checked.
    /// </summary>
    /// <param name="source">A readable, seekable stream positioned at the start of the archive.</param>
    /// <exception cref="InvalidDataException">The archive or its pickle is not of that form.</exception>
    public static TorchTensor ReadFloat32(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead || !source.CanSeek)
        {
            throw new ArgumentException("Reading a PyTorch archive needs a readable, seekable stream.", nameof(source));
        }

        EnsureLittleEndian();
        var zip = new TorchZipReader(source);
        CheckVersion(zip);
        if (zip.TryGetRecord(ByteOrderRecord, out var byteOrder) && AsciiOf(zip, byteOrder) != "little")
        {
            throw new InvalidDataException($"The tensor was saved {AsciiOf(zip, byteOrder)}-endian; only little-endian is supported.");
        }

        var header = TensorPickle.Read(zip.ReadRecord(Require(zip, PickleRecord)));
        int[] shape = CheckBareTensor(header);
        var storage = Require(zip, StorageRecordFolder + header.StorageKey);
        if (storage.Size != header.StorageElementCount * sizeof(float))
        {
            throw new InvalidDataException(
                $"Storage record '{storage.Name}' holds {storage.Size} bytes; the pickle promises {header.StorageElementCount} floats.");
        }

        var data = new float[header.StorageElementCount];
        zip.ReadRecordInto(storage, MemoryMarshal.AsBytes(data.AsSpan()));
        return new TorchTensor(zip.Prefix, shape, data);
    }

    /// <summary>Reads such a file from its bytes in memory (an item's input, lent by the engine), copying out only the tensor.</summary>
    public static unsafe TorchTensor ReadFloat32(ReadOnlySpan<byte> archive)
    {
        fixed (byte* bytes = archive)
        {
            using var stream = new UnmanagedMemoryStream(bytes, archive.Length);
            return ReadFloat32(stream);
        }
    }

    private static void ValidatePrefix(string recordPrefix)
    {
        if (recordPrefix.Length == 0)
        {
            throw new ArgumentException("The record prefix must not be empty.", nameof(recordPrefix));
        }

        foreach (char c in recordPrefix)
        {
            if (c is '/' or '\\' || char.IsControl(c))
            {
                throw new ArgumentException($"The record prefix '{recordPrefix}' must be a bare file stem: no slashes or control characters.", nameof(recordPrefix));
            }
        }
    }

    private static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), dimension, "Dimensions must not be negative.");
            }

            count = checked(count * dimension);
        }

        return count;
    }

    private static void EnsureLittleEndian()
    {
        // Storage bytes are the in-memory floats; the files promise little-endian.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("PyTorch tensor files are handled on little-endian machines only.");
        }
    }

    private static void CheckVersion(TorchZipReader zip)
    {
        // Like torch: .data/version wins where both exist.
        if (!zip.TryGetRecord(".data/version", out var version) && !zip.TryGetRecord(VersionRecord, out version))
        {
            throw new InvalidDataException("The PyTorch archive has no version record.");
        }

        string text = AsciiOf(zip, version).TrimEnd('\n');
        if (text != "3")
        {
            throw new InvalidDataException($"Unsupported PyTorch archive version '{text}'; torch.save of a tensor writes 3.");
        }
    }

    /// <summary>Only a tensor that is its whole storage, in C order, on the CPU: the form torch.save gives a fresh tensor.</summary>
    private static int[] CheckBareTensor(TensorPickleHeader header)
    {
        if (header.Location != "cpu")
        {
            throw new InvalidDataException($"The storage was saved from '{header.Location}'; only 'cpu' is supported.");
        }

        var shape = new int[header.Size.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (header.Size[i] > int.MaxValue)
            {
                throw new InvalidDataException($"Dimension {i} ({header.Size[i]}) is too large.");
            }

            shape[i] = (int)header.Size[i];
            count = checked(count * shape[i]);
        }

        if (header.StorageOffset != 0 || header.StorageElementCount != count)
        {
            throw new InvalidDataException(
                $"The tensor ({count} elements from offset {header.StorageOffset}) is a view of a {header.StorageElementCount}-element storage; only tensors owning their whole storage are supported.");
        }

        if (!header.Stride.SequenceEqual(TensorPickle.ContiguousStrides(header.Size)))
        {
            throw new InvalidDataException($"The tensor's strides ({string.Join(", ", header.Stride)}) are not C-contiguous.");
        }

        return shape;
    }

    private static TorchZipEntry Require(TorchZipReader zip, string name) =>
        zip.TryGetRecord(name, out var entry)
            ? entry
            : throw new InvalidDataException($"The PyTorch archive lacks the record '{zip.Prefix}/{name}'.");

    private static string AsciiOf(TorchZipReader zip, TorchZipEntry entry) => Encoding.ASCII.GetString(zip.ReadRecord(entry));
}
