// Decodes the same TIFF files, from memory, with the project's decoder (TiffDecoder: LZW strips in C#, everything
// else through libtiff), with libtiff alone (the same decoder with every strip left to libtiff's
// TIFFReadEncodedStrip, as Pillow does) and with BitMiracle.LibTiff.NET (a managed port of libtiff); checks the pixels are
// identical, and times the three interleaved, per variant: the noisy plates' files, every encoding the TIFF tests
// cover (TiffEncoder, on a noisy 1080x1080 image and on a 203x150 crop whose strips and tiles do not divide it), and
// the tifffile-written files of the decoder tests.
// Usage: TiffBench <rounds> <folder>...   (each folder: *.tif/*.tiff files forming one variant, named by the folder)
using System.Diagnostics;
using BitMiracle.LibTiff.Classic;
using CellPainting.Stages.Imaging;

int rounds = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var variants = new List<(string Name, byte[][] Files)>();
foreach (string folder in args.Skip(1))
{
    byte[][] files = [.. Directory.EnumerateFiles(folder).Where(path => path.EndsWith(".tif", StringComparison.Ordinal) || path.EndsWith(".tiff", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
    variants.Add((Path.GetFileName(folder), files));
}

// The encoder's variants, on one noisy plate image and a crop of it (the plate's first folder supplies it).
Gray16Image noisy = TiffDecoder.Decode(variants[0].Files[0], "plate image");
var crop = new ushort[203 * 150];
for (int row = 0; row < 150; row++)
{
    noisy.Pixels.AsSpan(row * noisy.Width, 203).CopyTo(crop.AsSpan(row * 203, 203));
}

Gray16Image small = new(203, 150, crop);
(TiffCompression Compression, bool Predictor)[] codecs =
[
    (TiffCompression.None, false), (TiffCompression.PackBits, false), (TiffCompression.Lzw, false),
    (TiffCompression.Lzw, true), (TiffCompression.Deflate, false), (TiffCompression.Deflate, true),
];
(int Rows, int Tile, bool BigEndian)[] layouts = [(1, 0, false), (7, 0, false), (0, 0, false), (0, 16, false), (0, 64, false), (9, 0, true), (0, 32, true)];
foreach ((TiffCompression compression, bool predictor) in codecs)
{
    foreach ((int rows, int tile, bool bigEndian) in layouts)
    {
        string layout = tile > 0 ? $"tiles {tile}" : rows == 0 ? "one strip" : $"strips of {rows}";
        string name = $"encoder {compression}{(predictor ? "+predictor" : "")}, {layout}, {(bigEndian ? "big" : "little")}-endian";
        byte[] Encode(Gray16Image image) => TiffEncoder.Encode(image, new TiffEncoding(compression, predictor, tile > 0 ? 0 : rows == 0 ? image.Height : rows, tile, bigEndian));
        variants.Add((name + ", 1080x1080", [Encode(noisy)]));
        variants.Add((name + ", 203x150", [Encode(small)]));
    }
}

Console.WriteLine("| variant | files | MB | exact | ours best / median ms per file | libtiff alone best / median | BitMiracle best / median | libtiff / ours (median) | BitMiracle / ours (median) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
bool allExact = true;
var libtiffRatios = new List<double>();
var ratios = new List<double>();
foreach ((string name, byte[][] files) in variants)
{
    bool exact = files.All(file =>
        TiffDecoder.Decode(file, name).Pixels.AsSpan() is var pixels
        && pixels.SequenceEqual(BitMiracleDecode(file)) && pixels.SequenceEqual(TiffDecoder.DecodeWithLibTiffOnly(file, name).Pixels));
    allExact &= exact;
    Action[] decoders =
    [
        () => { foreach (byte[] file in files) { TiffDecoder.Decode(file, name); } },
        () => { foreach (byte[] file in files) { TiffDecoder.DecodeWithLibTiffOnly(file, name); } },
        () => { foreach (byte[] file in files) { BitMiracleDecode(file); } },
    ];
    List<double>[] times = [[], [], []];
    for (int round = 0; round < rounds; round++)
    {
        // Interleaved, rotating which goes first, so load on the shared machine hits all alike.
        for (int turn = 0; turn < decoders.Length; turn++)
        {
            int decoder = (round + turn) % decoders.Length;
            times[decoder].Add(Time(decoders[decoder]));
        }
    }

    (List<double> ours, List<double> libtiff, List<double> theirs) = (times[0], times[1], times[2]);
    libtiffRatios.Add(Median(libtiff) / Median(ours));
    ratios.Add(Median(theirs) / Median(ours));
    double megabytes = files.Sum(file => (long)file.Length) / 1e6;
    Console.WriteLine($"| {name} | {files.Length} | {megabytes:F1} | {(exact ? "yes" : "NO")} | {ours.Min() / files.Length:F2} / {Median(ours) / files.Length:F2} | {libtiff.Min() / files.Length:F2} / {Median(libtiff) / files.Length:F2} | {theirs.Min() / files.Length:F2} / {Median(theirs) / files.Length:F2} | {libtiffRatios[^1]:F2} | {ratios[^1]:F2} |");
}

Console.WriteLine($"exact on all {variants.Count} variants: {(allExact ? "yes" : "no")}; median over variants: libtiff alone / ours {Median(libtiffRatios):F2}x (min {libtiffRatios.Min():F2}x, max {libtiffRatios.Max():F2}x), BitMiracle / ours {Median(ratios):F2}x (min {ratios.Min():F2}x, max {ratios.Max():F2}x)");
return allExact ? 0 : 1;

static double Time(Action action)
{
    long start = Stopwatch.GetTimestamp();
    action();
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

static double Median(List<double> values)
{
    double[] sorted = [.. values.Order()];
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

// BitMiracle's libtiff port, used the way TiffDecoder uses libtiff: strips decoded into place, tiles through a scratch
// buffer; like libtiff it undoes the predictor and byte-swaps big-endian samples itself.
static ushort[] BitMiracleDecode(byte[] file)
{
    using var stream = new MemoryStream(file, writable: false);
    using Tiff tiff = Tiff.ClientOpen("bench", "r", stream, new TiffStream()) ?? throw new InvalidDataException("BitMiracle could not open the file");
    int width = tiff.GetField(TiffTag.IMAGEWIDTH)[0].ToInt();
    int height = tiff.GetField(TiffTag.IMAGELENGTH)[0].ToInt();
    var bytes = new byte[width * height * 2];
    if (tiff.IsTiled())
    {
        int tileWidth = tiff.GetField(TiffTag.TILEWIDTH)[0].ToInt();
        int tileLength = tiff.GetField(TiffTag.TILELENGTH)[0].ToInt();
        var tile = new byte[tiff.TileSize()];
        for (int top = 0; top < height; top += tileLength)
        {
            for (int left = 0; left < width; left += tileWidth)
            {
                if (tiff.ReadEncodedTile(tiff.ComputeTile(left, top, 0, 0), tile, 0, tile.Length) != tile.Length)
                {
                    throw new InvalidDataException("BitMiracle could not decode a tile");
                }

                int columns = Math.Min(tileWidth, width - left);
                for (int row = 0; row < Math.Min(tileLength, height - top); row++)
                {
                    Buffer.BlockCopy(tile, row * tileWidth * 2, bytes, (((top + row) * width) + left) * 2, columns * 2);
                }
            }
        }
    }
    else
    {
        int offset = 0;
        for (int strip = 0; strip < tiff.NumberOfStrips(); strip++)
        {
            int read = tiff.ReadEncodedStrip(strip, bytes, offset, bytes.Length - offset);
            if (read <= 0)
            {
                throw new InvalidDataException("BitMiracle could not decode a strip");
            }

            offset += read;
        }
    }

    var pixels = new ushort[width * height];
    Buffer.BlockCopy(bytes, 0, pixels, 0, bytes.Length);
    return pixels;
}
