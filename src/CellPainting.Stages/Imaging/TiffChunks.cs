using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// Decodes the strips or tiles (chunks) of an open libtiff handle over <see cref="File"/> into 16-bit samples in
/// the host's byte order with the predictor undone: LZW through <see cref="LzwDecoder"/>, straight from the file's
/// bytes, everything else (and LZW libtiff must handle itself) through libtiff's own codecs.
/// </summary>
internal readonly unsafe ref struct TiffChunks
{
    private readonly bool managedLzw;
    private readonly bool swapBytes;
    private readonly bool predictor;
    private readonly bool tiled;

    public TiffChunks(nint tiff, ReadOnlySpan<byte> file, string fileName, TiffMessageLog log)
    {
        Tiff = tiff;
        File = file;
        FileName = fileName;
        Log = log;
        tiled = LibTiff.TIFFIsTiled(tiff) != 0;
        managedLzw = TiffDecoder.DefaultedUInt16(tiff, LibTiff.Compression) == TiffDecoder.CompressionLzw && TiffDecoder.DefaultedUInt16(tiff, LibTiff.FillOrder) == 1;
        predictor = managedLzw && TiffDecoder.DefaultedUInt16(tiff, LibTiff.Predictor) == 2;
        swapBytes = (LibTiff.TIFFIsBigEndian(tiff) != 0) == BitConverter.IsLittleEndian;
    }

    public nint Tiff { get; }

    public ReadOnlySpan<byte> File { get; }

    public string FileName { get; }

    public TiffMessageLog Log { get; }

    /// <summary>Fills <paramref name="samples"/> (the chunk's whole decoded size) with chunk <paramref name="index"/>, whose rows are <paramref name="rowSamples"/> long.</summary>
    public void Decode(uint index, Span<ushort> samples, int rowSamples)
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(samples);
        string what = tiled ? "tile" : "strip";
        ReadOnlySpan<byte> encoded = managedLzw ? Encoded(index, what) : default;
        if (managedLzw && !LzwDecoder.IsOldStyle(encoded))
        {
            if (!LzwDecoder.TryDecode(encoded, bytes, out string problem))
            {
                throw new TiffFormatException(FileName, $"{what} {index} could not be decoded ({problem}).");
            }

            if (swapBytes)
            {
                BinaryPrimitives.ReverseEndianness(samples, samples);
            }

            if (predictor)
            {
                UndoHorizontalPredictor(samples, rowSamples);
            }

            return;
        }

        fixed (byte* destination = bytes)
        {
            nint decoded = tiled
                ? LibTiff.TIFFReadEncodedTile(Tiff, index, destination, bytes.Length)
                : LibTiff.TIFFReadEncodedStrip(Tiff, index, destination, bytes.Length);
            if (decoded != bytes.Length)
            {
                throw new TiffFormatException(FileName, $"{what} {index} could not be decoded ({decoded} of {bytes.Length} bytes; {Log.Describe()}).");
            }
        }
    }

    /// <summary>Predictor 2 stores each sample as the difference from its left neighbour (mod 2^16); rows start afresh.</summary>
    private static void UndoHorizontalPredictor(Span<ushort> samples, int rowSamples)
    {
        for (int start = 0; start + rowSamples <= samples.Length; start += rowSamples)
        {
            Span<ushort> row = samples.Slice(start, rowSamples);
            ushort sum = row[0];
            for (int column = 1; column < row.Length; column++)
            {
                sum += row[column];
                row[column] = sum;
            }
        }
    }

    /// <summary>The chunk's encoded bytes inside the file; a chunk that lies (partly) outside it fails the file.</summary>
    private ReadOnlySpan<byte> Encoded(uint index, string what)
    {
        ulong offset = LibTiff.TIFFGetStrileOffset(Tiff, index);
        ulong count = LibTiff.TIFFGetStrileByteCount(Tiff, index);
        if (count == 0 || offset > (ulong)File.Length || count > (ulong)File.Length - offset)
        {
            throw new TiffFormatException(
                FileName, $"{what} {index} could not be decoded (its {count} bytes at offset {offset} are not inside the file's {File.Length} bytes).");
        }

        return File.Slice((int)offset, (int)count);
    }
}
