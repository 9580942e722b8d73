using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace CellPainting.Stages.Torch;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as ZIP stores it. Slicing-by-8: every
/// 3 MB site tensor is checksummed once per write, so a byte-at-a-time loop would dominate.
/// </summary>
internal static class Crc32
{
    private const uint ReflectedPolynomial = 0xEDB88320u;

    // Eight 256-entry tables back to back: table k advances a byte through k further zero bytes.
    private static readonly uint[] Tables = BuildTables();

    /// <summary>Continues <paramref name="crc"/> (0 for a fresh checksum) over <paramref name="data"/>, like zlib's crc32(crc, data).</summary>
    // Runs once per written tensor, over megabytes: compiled optimised at once rather than as first-tier code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var tables = Tables.AsSpan();
        var t0 = tables[..256];
        var t1 = tables.Slice(256, 256);
        var t2 = tables.Slice(512, 256);
        var t3 = tables.Slice(768, 256);
        var t4 = tables.Slice(1024, 256);
        var t5 = tables.Slice(1280, 256);
        var t6 = tables.Slice(1536, 256);
        var t7 = tables.Slice(1792, 256);

        uint c = ~crc;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ c;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            c = t7[(int)(low & 0xFF)] ^ t6[(int)((low >> 8) & 0xFF)] ^ t5[(int)((low >> 16) & 0xFF)] ^ t4[(int)(low >> 24)]
              ^ t3[(int)(high & 0xFF)] ^ t2[(int)((high >> 8) & 0xFF)] ^ t1[(int)((high >> 16) & 0xFF)] ^ t0[(int)(high >> 24)];
            data = data[8..];
        }

        foreach (byte b in data)
        {
            c = t0[(int)((c ^ b) & 0xFF)] ^ (c >> 8);
        }

        return ~c;
    }

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ ReflectedPolynomial : c >> 1;
            }

            tables[i] = c;
        }

        for (int k = 1; k < 8; k++)
        {
            for (int i = 0; i < 256; i++)
            {
                uint previous = tables[((k - 1) * 256) + i];
                tables[(k * 256) + i] = (previous >> 8) ^ tables[(int)(previous & 0xFF)];
            }
        }

        return tables;
    }
}
