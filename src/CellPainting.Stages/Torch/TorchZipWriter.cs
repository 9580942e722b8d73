using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace CellPainting.Stages.Torch;

/// <summary>
/// Writes the zip container exactly as PyTorchStreamWriter drives miniz: every member STORED, time/date 0,
/// an "FB" extra field in the local header that pads the data to a 64-byte boundary, flags 0x0808 with a
/// data descriptor after the data (0x0800 and no descriptor for an empty member), a central directory
/// without extras, then the ZIP64 end record, its locator and the classic end record.
/// Sizes and offsets must stay below 4 GiB: torch would switch to ZIP64 extra fields there, which this
/// writer does not produce.
/// </summary>
internal sealed class TorchZipWriter
{
    internal const int Alignment = 64;
    internal const uint LocalHeaderSignature = 0x04034B50;
    internal const uint DataDescriptorSignature = 0x08074B50;
    internal const uint CentralHeaderSignature = 0x02014B50;
    internal const uint Zip64EndSignature = 0x06064B50;
    internal const uint Zip64LocatorSignature = 0x07064B50;
    internal const uint EndSignature = 0x06054B50;
    internal const int LocalHeaderSize = 30;
    internal const int CentralHeaderSize = 46;
    internal const ushort FlagsWithDescriptor = 0x0808;
    internal const ushort FlagsUtf8Only = 0x0800;

    private const int DataDescriptorSize = 16;
    private const int Zip64EndSize = 56;
    private const int Zip64LocatorSize = 20;
    private const int EndSize = 22;
    private const ushort Zip64MadeBy = 0x031E;
    private const ushort Zip64Needed = 45;

    private readonly Stream _destination;
    private readonly string _prefix;
    private readonly List<TorchZipEntry> _entries = [];
    private long _position;

    public TorchZipWriter(Stream destination, string recordPrefix)
    {
        _destination = destination;
        _prefix = recordPrefix + "/";
    }

    /// <summary>
    /// c10::hash_combine over the CRC-32 of every data descriptor written so far, in write order: the second
    /// half of torch's serialization id. torch sniffs each chunk it writes for the descriptor signature, so a
    /// record whose data itself starts with that signature also counts (reproduced in <see cref="WriteRecord"/>).
    /// </summary>
    public ulong CombinedDescriptorCrc { get; private set; }

    public void WriteRecord(string name, ReadOnlySpan<byte> data)
    {
        byte[] fullName = Encoding.UTF8.GetBytes(_prefix + name);
        EnsureNoZip64(data.Length);
        EnsureNoZip64(_position);
        if (fullName.Length > ushort.MaxValue - LocalHeaderSize)
        {
            throw new ArgumentException($"Record name '{_prefix}{name}' is too long for a zip header.", nameof(name));
        }

        long dataStart = _position + LocalHeaderSize + fullName.Length + 4;
        int padding = (int)((Alignment - (dataStart % Alignment)) % Alignment);
        bool empty = data.IsEmpty;
        ushort flags = empty ? FlagsUtf8Only : FlagsWithDescriptor;
        uint crc = Crc32.HashToUInt32(data);

        int headerLength = LocalHeaderSize + fullName.Length + 4 + padding;
        Span<byte> header = headerLength <= 1024 ? stackalloc byte[headerLength] : new byte[headerLength];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, LocalHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        // Version, method, time, date, CRC and sizes stay 0: the descriptor carries the real values.
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)fullName.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(padding + 4));
        fullName.CopyTo(header[LocalHeaderSize..]);
        var extra = header[(LocalHeaderSize + fullName.Length)..];
        extra[0] = (byte)'F';
        extra[1] = (byte)'B';
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)padding);
        extra[4..].Fill((byte)'Z');

        _entries.Add(new TorchZipEntry(_prefix + name, flags, 0, crc, (uint)data.Length, (uint)data.Length, (uint)_position));
        Emit(header);
        SniffDescriptor(data);
        Emit(data);

        if (!empty)
        {
            Span<byte> descriptor = stackalloc byte[DataDescriptorSize];
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor, DataDescriptorSignature);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[4..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[8..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[12..], (uint)data.Length);
            SniffDescriptor(descriptor);
            Emit(descriptor);
        }
    }

    /// <summary>Writes the central directory and the end records; the archive is complete afterwards.</summary>
    public void Finish()
    {
        long centralOffset = _position;
        int centralSize = 0;
        foreach (var entry in _entries)
        {
            centralSize += CentralHeaderSize + Encoding.UTF8.GetByteCount(entry.Name);
        }

        EnsureNoZip64(centralOffset + centralSize);
        var buffer = new byte[centralSize + Zip64EndSize + Zip64LocatorSize + EndSize];
        var span = buffer.AsSpan();
        int at = 0;
        foreach (var entry in _entries)
        {
            var central = span[at..];
            BinaryPrimitives.WriteUInt32LittleEndian(central, CentralHeaderSignature);
            // Made-by and needed versions 0, as miniz leaves them for PyTorch.
            BinaryPrimitives.WriteUInt16LittleEndian(central[8..], entry.Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(central[16..], entry.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(central[20..], entry.CompressedSize);
            BinaryPrimitives.WriteUInt32LittleEndian(central[24..], entry.Size);
            int nameLength = Encoding.UTF8.GetBytes(entry.Name, central[CentralHeaderSize..]);
            BinaryPrimitives.WriteUInt16LittleEndian(central[28..], (ushort)nameLength);
            BinaryPrimitives.WriteUInt32LittleEndian(central[42..], entry.LocalHeaderOffset);
            at += CentralHeaderSize + nameLength;
        }

        long zip64EndOffset = centralOffset + centralSize;
        var zip64End = span.Slice(at, Zip64EndSize);
        BinaryPrimitives.WriteUInt32LittleEndian(zip64End, Zip64EndSignature);
        BinaryPrimitives.WriteUInt64LittleEndian(zip64End[4..], Zip64EndSize - 12);
        BinaryPrimitives.WriteUInt16LittleEndian(zip64End[12..], Zip64MadeBy);
        BinaryPrimitives.WriteUInt16LittleEndian(zip64End[14..], Zip64Needed);
        BinaryPrimitives.WriteUInt64LittleEndian(zip64End[24..], (ulong)_entries.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(zip64End[32..], (ulong)_entries.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(zip64End[40..], (ulong)centralSize);
        BinaryPrimitives.WriteUInt64LittleEndian(zip64End[48..], (ulong)centralOffset);
        at += Zip64EndSize;

        var locator = span.Slice(at, Zip64LocatorSize);
        BinaryPrimitives.WriteUInt32LittleEndian(locator, Zip64LocatorSignature);
        BinaryPrimitives.WriteUInt64LittleEndian(locator[8..], (ulong)zip64EndOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
        at += Zip64LocatorSize;

        var end = span.Slice(at, EndSize);
        BinaryPrimitives.WriteUInt32LittleEndian(end, EndSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)centralSize);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)centralOffset);
        Emit(buffer);
    }

    private static void EnsureNoZip64(long value)
    {
        if (value >= uint.MaxValue)
        {
            throw new NotSupportedException("The tensor archive would reach 4 GiB, which needs ZIP64 extra fields; they are not supported.");
        }
    }

    private void SniffDescriptor(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(chunk) == DataDescriptorSignature)
        {
            CombinedDescriptorCrc = TorchSerializationId.Combine(CombinedDescriptorCrc, BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]));
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        _destination.Write(bytes);
        _position += bytes.Length;
    }
}
