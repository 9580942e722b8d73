using System.Buffers.Binary;

namespace CellPainting.Stages.Torch;

/// <summary>
/// std::hash&lt;std::string&gt; of GCC's libstdc++ on 64-bit targets (std::_Hash_bytes, a MurmurHash2-64
/// variant with seed 0xC70F6907). PyTorch's writer hashes record names with it for .data/serialization_id.
/// </summary>
internal static class LibStdCxxStringHash
{
    private const ulong Seed = 0xC70F6907UL;
    private const ulong Multiplier = (0xC6A4A793UL << 32) + 0x5BD1E995UL;

    public static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        ulong hash = Seed ^ ((ulong)bytes.Length * Multiplier);
        var rest = bytes;
        while (rest.Length >= 8)
        {
            ulong word = ShiftMix(BinaryPrimitives.ReadUInt64LittleEndian(rest) * Multiplier) * Multiplier;
            hash = (hash ^ word) * Multiplier;
            rest = rest[8..];
        }

        if (!rest.IsEmpty)
        {
            // The 1..7 tail bytes form a little-endian integer.
            ulong tail = 0;
            for (int i = rest.Length - 1; i >= 0; i--)
            {
                tail = (tail << 8) + rest[i];
            }

            hash = (hash ^ tail) * Multiplier;
        }

        hash = ShiftMix(hash) * Multiplier;
        return ShiftMix(hash);
    }

    private static ulong ShiftMix(ulong value) => value ^ (value >> 47);
}
