using System.Buffers.Binary;
using System.Text;

namespace CellPainting.Stages.LibTorch.Tests;

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so was built with GCC 13, whose &lt;iostream&gt; adds a reference to
/// <c>std::ios_base_library_init()</c> and with it a requirement on libstdc++'s version GLIBCXX_3.4.32; Debian 12 ships
/// GCC 12's libstdc++ (up to 3.4.30), so the library does not load. Nothing calls that symbol (it only forces the
/// version; there is no relocation for it) and LibTorch's own translation units still initialise the streams, so the
/// requirement is marked weak (ELF VER_FLG_WEAK), which the loader accepts without the version. Only that flag changes;
/// the LibTorch libraries that compute are untouched.
/// </summary>
internal static class WeakLibStdCxxVersion
{
    private const string Library = "libstdc++.so.6";
    private const string Version = "GLIBCXX_3.4.32";
    private const uint VerneedSection = 0x6ffffffe;
    private const ushort WeakFlag = 0x2;

    /// <summary>Marks the requirement weak in <paramref name="path"/> (a private copy, never the NuGet cache's file); false if it has none.</summary>
    public static bool Apply(string path)
    {
        // The build hard-links outputs to the NuGet cache: write a copy and move it over the link.
        byte[] elf = File.ReadAllBytes(path);
        int flagOffset = FindFlagOffset(elf, path);
        if (flagOffset < 0)
        {
            return false;
        }

        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(flagOffset));
        if ((flags & WeakFlag) != 0)
        {
            return true;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(flagOffset), (ushort)(flags | WeakFlag));
        string copy = path + ".weak-" + Environment.ProcessId;
        File.WriteAllBytes(copy, elf);
        File.Move(copy, path, overwrite: true);
        return true;
    }

    /// <summary>The file offset of the vna_flags field of libstdc++'s GLIBCXX_3.4.32 entry, or -1.</summary>
    private static int FindFlagOffset(byte[] elf, string path)
    {
        var span = elf.AsSpan();
        if (elf.Length < 64 || !span[..4].SequenceEqual("\u007FELF"u8) || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        long sectionTable = BinaryPrimitives.ReadInt64LittleEndian(span[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        for (int i = 0; i < count; i++)
        {
            var header = span.Slice(checked((int)(sectionTable + (i * entrySize))), entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != VerneedSection)
            {
                continue;
            }

            int offset = checked((int)BinaryPrimitives.ReadInt64LittleEndian(header[0x18..]));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var strings = span.Slice(checked((int)(sectionTable + (link * entrySize))), entrySize);
            int stringTable = checked((int)BinaryPrimitives.ReadInt64LittleEndian(strings[0x18..]));
            return FindInVerneed(span, offset, stringTable);
        }

        return -1;
    }

    private static int FindInVerneed(ReadOnlySpan<byte> elf, int need, int stringTable)
    {
        while (true)
        {
            int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
            string file = ReadString(elf, stringTable + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 4)..]));
            int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
            for (int a = 0; a < auxCount && file == Library; a++)
            {
                if (ReadString(elf, stringTable + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..])) == Version)
                {
                    return aux + 4;
                }

                aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
            }

            uint next = BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            if (next == 0)
            {
                return -1;
            }

            need += (int)next;
        }
    }

    private static string ReadString(ReadOnlySpan<byte> elf, int offset)
    {
        int end = elf[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(elf.Slice(offset, end));
    }
}
