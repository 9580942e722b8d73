using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace CellPainting.Stages.Torch;

/// <summary>
/// Reads a PyTorch zip archive the way torch.load locates records: through the central directory, with the
/// archive prefix taken from the first entry's name up to its first '/', which every entry must share.
/// Only STORED members below 4 GiB are accepted; every record read is checked against its CRC-32.
/// </summary>
internal sealed class TorchZipReader
{
    private const int EndSize = 22;
    private const int MaxCommentLength = ushort.MaxValue;

    private readonly Stream _source;
    private readonly long _archiveStart;
    private readonly Dictionary<string, TorchZipEntry> _byRecordName;

    public TorchZipReader(Stream source)
    {
        _source = source;
        _archiveStart = source.Position;
        long length = source.Length - _archiveStart;
        if (length < EndSize)
        {
            throw new InvalidDataException("Not a PyTorch archive: too short to hold a zip end record.");
        }

        var (entryCount, centralSize, centralOffset) = ReadEndRecord(length);
        Entries = ReadCentralDirectory(entryCount, centralSize, centralOffset, length);
        if (Entries.Count == 0)
        {
            throw new InvalidDataException("The PyTorch archive contains no records.");
        }

        string first = Entries[0].Name;
        int slash = first.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new InvalidDataException($"Record '{first}' is not in a subdirectory; torch.load needs one archive folder.");
        }

        Prefix = first[..slash];
        _byRecordName = new Dictionary<string, TorchZipEntry>(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (!entry.Name.StartsWith(Prefix + "/", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Record '{entry.Name}' is outside the archive folder '{Prefix}/'.");
            }

            if (!_byRecordName.TryAdd(entry.Name[(Prefix.Length + 1)..], entry))
            {
                throw new InvalidDataException($"Record '{entry.Name}' appears twice.");
            }
        }
    }

    /// <summary>The archive folder every record lives in (torch.save uses the file stem).</summary>
    public string Prefix { get; }

    /// <summary>Central-directory entries in directory order.</summary>
    public IReadOnlyList<TorchZipEntry> Entries { get; }

    /// <summary>Looks a record up by its name inside the archive folder (e.g. "data.pkl").</summary>
    public bool TryGetRecord(string name, out TorchZipEntry entry) => _byRecordName.TryGetValue(name, out entry);

    public byte[] ReadRecord(TorchZipEntry entry)
    {
        var bytes = new byte[entry.Size];
        ReadRecordInto(entry, bytes);
        return bytes;
    }

    /// <summary>Copies a record's bytes into <paramref name="destination"/> (exactly its size) and verifies the CRC-32.</summary>
    public void ReadRecordInto(TorchZipEntry entry, Span<byte> destination)
    {
        if (destination.Length != entry.Size)
        {
            throw new ArgumentException($"Record '{entry.Name}' holds {entry.Size} bytes, not {destination.Length}.", nameof(destination));
        }

        Span<byte> header = stackalloc byte[TorchZipWriter.LocalHeaderSize];
        Seek(entry.LocalHeaderOffset);
        ReadExactly(header, $"the local header of '{entry.Name}'");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != TorchZipWriter.LocalHeaderSignature)
        {
            throw new InvalidDataException($"Record '{entry.Name}': no local header at offset {entry.LocalHeaderOffset}.");
        }

        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        var name = new byte[nameLength];
        ReadExactly(name, $"the local name of '{entry.Name}'");
        if (Encoding.UTF8.GetString(name) != entry.Name)
        {
            throw new InvalidDataException($"Record '{entry.Name}': the local header names '{Encoding.UTF8.GetString(name)}'.");
        }

        Seek((long)entry.LocalHeaderOffset + TorchZipWriter.LocalHeaderSize + nameLength + extraLength);
        ReadExactly(destination, $"the data of '{entry.Name}'");
        uint crc = Crc32.HashToUInt32(destination);
        if (crc != entry.Crc)
        {
            throw new InvalidDataException($"Record '{entry.Name}' is corrupt: CRC-32 0x{crc:X8}, the directory says 0x{entry.Crc:X8}.");
        }
    }

    private (int EntryCount, uint CentralSize, uint CentralOffset) ReadEndRecord(long length)
    {
        int tailLength = (int)Math.Min(length, EndSize + MaxCommentLength);
        var tail = new byte[tailLength];
        Seek(length - tailLength);
        ReadExactly(tail, "the zip end record");
        for (int at = tailLength - EndSize; at >= 0; at--)
        {
            var end = tail.AsSpan(at);
            if (BinaryPrimitives.ReadUInt32LittleEndian(end) != TorchZipWriter.EndSignature
                || at + EndSize + BinaryPrimitives.ReadUInt16LittleEndian(end[20..]) != tailLength)
            {
                continue;
            }

            ushort entryCount = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
            uint centralSize = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
            uint centralOffset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);
            if (entryCount == ushort.MaxValue || centralSize == uint.MaxValue || centralOffset == uint.MaxValue)
            {
                throw new InvalidDataException("The PyTorch archive needs ZIP64 (over 65 534 records or 4 GiB), which is not supported.");
            }

            return (entryCount, centralSize, centralOffset);
        }

        throw new InvalidDataException("Not a PyTorch archive: no zip end record found.");
    }

    private List<TorchZipEntry> ReadCentralDirectory(int entryCount, uint centralSize, uint centralOffset, long length)
    {
        if ((long)centralOffset + centralSize > length)
        {
            throw new InvalidDataException("The zip central directory lies beyond the end of the archive.");
        }

        var directory = new byte[centralSize];
        Seek(centralOffset);
        ReadExactly(directory, "the zip central directory");
        var entries = new List<TorchZipEntry>(entryCount);
        var rest = directory.AsSpan();
        for (int i = 0; i < entryCount; i++)
        {
            if (rest.Length < TorchZipWriter.CentralHeaderSize
                || BinaryPrimitives.ReadUInt32LittleEndian(rest) != TorchZipWriter.CentralHeaderSignature)
            {
                throw new InvalidDataException($"The zip central directory is malformed at entry {i}.");
            }

            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(rest[8..]);
            ushort method = BinaryPrimitives.ReadUInt16LittleEndian(rest[10..]);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(rest[16..]);
            uint compressedSize = BinaryPrimitives.ReadUInt32LittleEndian(rest[20..]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(rest[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(rest[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(rest[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(rest[32..]);
            uint localOffset = BinaryPrimitives.ReadUInt32LittleEndian(rest[42..]);
            int total = TorchZipWriter.CentralHeaderSize + nameLength + extraLength + commentLength;
            if (rest.Length < total)
            {
                throw new InvalidDataException($"The zip central directory is truncated at entry {i}.");
            }

            string name = Encoding.UTF8.GetString(rest.Slice(TorchZipWriter.CentralHeaderSize, nameLength));
            if ((flags & 1) != 0)
            {
                throw new InvalidDataException($"Record '{name}' is encrypted.");
            }

            if (method != 0 || compressedSize != size)
            {
                throw new InvalidDataException($"Record '{name}' is compressed (method {method}); PyTorch archives store records uncompressed.");
            }

            if (size == uint.MaxValue || localOffset == uint.MaxValue)
            {
                throw new InvalidDataException($"Record '{name}' needs ZIP64, which is not supported.");
            }

            entries.Add(new TorchZipEntry(name, flags, method, crc, compressedSize, size, localOffset));
            rest = rest[total..];
        }

        return entries;
    }

    private void Seek(long archiveOffset) => _source.Position = _archiveStart + archiveOffset;

    private void ReadExactly(Span<byte> destination, string what)
    {
        try
        {
            _source.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The PyTorch archive ends inside {what}.", e);
        }
    }
}
