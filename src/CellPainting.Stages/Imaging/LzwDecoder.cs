using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// TIFF LZW (compression 5, the post-1991 MSB-first variant libtiff writes) decoding of one strip or tile, with the
/// semantics of libtiff's decoder for everything a valid file holds: codes of 9 to 12 bits, 256 clears the table, 257
/// ends the data, the width grows one code early (at 511, 1023, 2047), the end of the input reads as 257, and bytes
/// beyond the chunk's size are ignored. Each table entry is an (offset, length) reference into the output already
/// written, so a code costs a short copy instead of libtiff's walk down a linked list.
/// </summary>
internal static class LzwDecoder
{
    private const int Clear = 256;
    private const int EndOfInformation = 257;
    private const int FirstFree = 258;
    private const int MaxWidth = 12;

    // libtiff's table size: 4096 codes plus 1024 spare entries it tolerates from encoders that clear late.
    private const int TableSize = 4096 + 1024;

    /// <summary>
    /// Whether <paramref name="input"/> starts as the pre-1991 LSB-first variant does (libtiff's own test): those files
    /// are left to libtiff's compatibility decoder.
    /// </summary>
    public static bool IsOldStyle(ReadOnlySpan<byte> input) => input.Length >= 2 && input[0] == 0 && (input[1] & 1) != 0;

    /// <summary>
    /// Fills <paramref name="output"/> from the codes in <paramref name="input"/>; returns false when the codes are
    /// invalid or end before the output is full (<paramref name="problem"/> says which).
    /// </summary>
    [SkipLocalsInit]
    public static bool TryDecode(ReadOnlySpan<byte> input, Span<byte> output, out string problem)
    {
        Span<int> offsets = stackalloc int[TableSize];
        Span<int> lengths = stackalloc int[TableSize];
        ref byte source = ref MemoryMarshal.GetReference(input);
        ref byte destination = ref MemoryMarshal.GetReference(output);
        int inputLength = input.Length;
        int capacity = output.Length;

        ulong bits = 0;
        int bitCount = 0;
        int next = 0;
        int position = 0;
        int width = 9;
        int free = FirstFree;
        int previousLength = 0; // the length of the previous code's string; 0 right after a clear

        while (position < capacity)
        {
            if (bitCount < width)
            {
                // Refill whole bytes; past the end of the input the codes read as end-of-information, as in libtiff.
                if (next + 8 <= inputLength)
                {
                    ulong word = BinaryPrimitives.ReadUInt64BigEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, next), 8));
                    int take = (63 - bitCount) >> 3;
                    bits = (bits << (take * 8)) | (word >> (64 - (take * 8)));
                    bitCount += take * 8;
                    next += take;
                }
                else
                {
                    while (bitCount <= 56 && next < inputLength)
                    {
                        bits = (bits << 8) | Unsafe.Add(ref source, next++);
                        bitCount += 8;
                    }

                    if (bitCount < width)
                    {
                        break;
                    }
                }
            }

            bitCount -= width;
            int code = (int)(bits >> bitCount) & ((1 << width) - 1);
            if (code == Clear)
            {
                width = 9;
                free = FirstFree;
                previousLength = 0;
                continue;
            }

            if (code == EndOfInformation)
            {
                break;
            }

            // The previous code's string ends where this one starts.
            int start = position;
            int room = capacity - position;
            int length;
            if (code < Clear)
            {
                Unsafe.Add(ref destination, position++) = (byte)code;
                length = 1;
            }
            else if (previousLength == 0)
            {
                problem = $"corrupted LZW data (code {code} right after a table clear)";
                return false;
            }
            else if (code < free)
            {
                length = lengths[code];
                int copied = Math.Min(length, room);
                Copy(ref destination, offsets[code], position, copied);
                position += copied;
            }
            else if (code == free)
            {
                // The code being defined right now (KwKwK): the previous string and its own first byte.
                length = previousLength + 1;
                int previousStart = start - previousLength;
                Copy(ref destination, previousStart, position, Math.Min(previousLength, room));
                position += Math.Min(previousLength, room);
                if (position < capacity)
                {
                    Unsafe.Add(ref destination, position++) = Unsafe.Add(ref destination, previousStart);
                }
            }
            else
            {
                problem = $"corrupted LZW data (code {code} with {free} table entries)";
                return false;
            }

            if (previousLength > 0)
            {
                if (free >= TableSize)
                {
                    problem = "corrupted LZW data (the code table overflows without a clear)";
                    return false;
                }

                // The new entry is the previous string plus this one's first byte, which directly follows it in the output.
                offsets[free] = start - previousLength;
                lengths[free] = previousLength + 1;
                free++;
                if (free >= (1 << width) - 1 && width < MaxWidth)
                {
                    width++;
                }
            }

            previousLength = length;
        }

        if (position < capacity)
        {
            problem = $"the LZW data ends after {position} of {capacity} bytes";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref byte output, int from, int to, int length)
    {
        if (length <= 8)
        {
            for (int index = 0; index < length; index++)
            {
                Unsafe.Add(ref output, to + index) = Unsafe.Add(ref output, from + index);
            }
        }
        else
        {
            // Source and target never overlap: an entry only references output written before the current position.
            Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref output, to), ref Unsafe.Add(ref output, from), (uint)length);
        }
    }
}
