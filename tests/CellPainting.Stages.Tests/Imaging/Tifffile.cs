using System.Text.Json;
using CellPainting.Stages.Imaging;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Imaging;

/// <summary>
/// Runs the reference TIFF implementation, Python's tifffile, under Debian's /usr/bin/python3 (not a pyenv
/// interpreter on PATH). Tests that need it are ignored, with the reason, where it is not installed; CI installs it.
/// </summary>
internal static class Tifffile
{
    // tifffile encodes PackBits and LZW, and decodes LZW, only through the optional imagecodecs package, which
    // Debian does not ship. Where it is missing, the small codecs below stand in for it, so these cross-checks still
    // run: tifffile's own TIFF structure, predictor and byte-order handling stay in play, and the codecs are
    // independent of libtiff's.
    private const string Script = """
        import json
        import sys

        import numpy as np
        import tifffile


        def as_bytes(data):
            return data.tobytes() if hasattr(data, "tobytes") else bytes(data)


        def lzw_decode(data, out=None):
            # TIFF LZW: MSB-first codes of 9 to 12 bits, 256 clears the table, 257 ends the strip, and the code
            # width grows one entry early (when the table reaches 511, 1023, 2047 entries).
            table = [bytes([i]) for i in range(256)] + [b"", b""]
            result = bytearray()
            width, buffer, bits, previous = 9, 0, 0, None
            for byte in data:
                buffer = (buffer << 8) | byte
                bits += 8
                while bits >= width:
                    bits -= width
                    code = (buffer >> bits) & ((1 << width) - 1)
                    buffer &= (1 << bits) - 1
                    if code == 256:
                        del table[258:]
                        width, previous = 9, None
                        continue
                    if code == 257:
                        return bytes(result)
                    if previous is None:
                        entry = table[code]
                    elif code < len(table):
                        entry = table[code]
                        table.append(previous + entry[:1])
                    elif code == len(table):
                        entry = previous + previous[:1]
                        table.append(entry)
                    else:
                        raise ValueError(f"invalid LZW code {code} with {len(table)} table entries")
                    result += entry
                    previous = entry
                    if len(table) >= (1 << width) - 1 and width < 12:
                        width += 1
            return bytes(result)


        def lzw_encode(data, level=None, out=None):
            # The mirror image of lzw_decode: the width grows once the next free code no longer fits, and the
            # table is cleared before code 4094 would be assigned.
            output = bytearray()
            buffer, bits, width = 0, 0, 9

            def emit(code):
                nonlocal buffer, bits
                buffer = (buffer << width) | code
                bits += width
                while bits >= 8:
                    bits -= 8
                    output.append((buffer >> bits) & 0xFF)
                buffer &= (1 << bits) - 1

            def fresh_table():
                return {bytes([i]): i for i in range(256)}

            table, next_code, current = fresh_table(), 258, b""
            emit(256)
            for byte in as_bytes(data):
                candidate = current + bytes([byte])
                if candidate in table:
                    current = candidate
                    continue
                emit(table[current])
                table[candidate] = next_code
                next_code += 1
                if next_code == 4094:
                    emit(256)
                    table, next_code, width = fresh_table(), 258, 9
                elif next_code > (1 << width) - 1:
                    width += 1
                current = bytes([byte])
            if current:
                emit(table[current])
                next_code += 1
                if next_code > (1 << width) - 1 and width < 12:
                    width += 1
            emit(257)
            if bits:
                output.append((buffer << (8 - bits)) & 0xFF)
            return bytes(output)


        def packbits_encode(data, axis=-2, out=None):
            # Each row is packed on its own, as TIFF requires: runs of 2 to 128 equal bytes, else literals of up to 128.
            array = np.ascontiguousarray(data)
            row_bytes = int(np.prod(array.shape[axis:])) * array.itemsize
            raw = array.tobytes()
            output = bytearray()
            for start in range(0, len(raw), row_bytes):
                row, i = raw[start:start + row_bytes], 0
                while i < len(row):
                    j = i + 1
                    while j < len(row) and j - i < 128 and row[j] == row[i]:
                        j += 1
                    if j - i >= 2:
                        output += bytes([257 - (j - i), row[i]])
                        i = j
                        continue
                    while j < len(row) and j - i < 128 and not (j + 1 < len(row) and row[j] == row[j + 1]):
                        j += 1
                    output.append(j - i - 1)
                    output += row[i:j]
                    i = j
            return bytes(output)


        try:
            import imagecodecs  # noqa: F401
        except ImportError:
            tifffile.TIFF.DECOMPRESSORS._codecs[5] = lzw_decode
            tifffile.TIFF.COMPRESSORS._codecs[5] = lzw_encode
            tifffile.TIFF.COMPRESSORS._codecs[32773] = packbits_encode


        command = sys.argv[1]
        if command == "check":
            pass
        elif command == "write":
            raw, width, height, path, options = sys.argv[2:7]
            options = json.loads(options)
            pixels = np.fromfile(raw, dtype="<u2").reshape(int(height), int(width))
            data = pixels.astype(options.pop("dtype", "uint16"))
            samples = options.pop("samples", 1)
            if samples > 1:
                data = np.stack([data] * samples, axis=-1)
            if options.pop("pages", 1) == 2:
                data = np.stack([data, np.iinfo(data.dtype).max - data])
            if "tile" in options:
                options["tile"] = tuple(options["tile"])
            tifffile.imwrite(path, data, **options)
        elif command == "read":
            path, raw = sys.argv[2:4]
            with tifffile.TiffFile(path) as tiff:
                page = tiff.pages[0]
                data = page.asarray()
                info = {
                    "dtype": str(data.dtype),
                    "shape": list(data.shape),
                    "byteOrder": tiff.byteorder,
                    "pages": len(tiff.pages),
                    "compression": int(page.compression),
                    "predictor": int(page.predictor),
                    "tiled": bool(page.is_tiled),
                    "tileWidth": int(page.tilewidth),
                    "tileLength": int(page.tilelength),
                    "rowsPerStrip": int(page.rowsperstrip),
                    "tags": sorted(tag.code for tag in page.tags.values()),
                }
            data.astype("<u2").tofile(raw)
            print(json.dumps(info))
        """;

    /// <summary>Ignores the calling test unless /usr/bin/python3 can import numpy and tifffile.</summary>
    public static void RequireInstalled() => SystemPython.Require("numpy", "tifffile");

    /// <summary>Writes <paramref name="image"/> with tifffile.imwrite; <paramref name="options"/> are imwrite keyword arguments
    /// as JSON, plus "dtype", "samples" and "pages" to write other sample types, RGB, or a second page.</summary>
    public static void Write(Gray16Image image, string path, string options)
    {
        string raw = path + ".raw";
        File.WriteAllBytes(raw, LittleEndianBytes(image.Pixels));
        Run("write", raw, image.Width.ToString(), image.Height.ToString(), path, options);
    }

    /// <summary>Reads the first page of <paramref name="path"/> with tifffile, returning its pixels as 16-bit values and what tifffile saw.</summary>
    public static (ushort[] Pixels, TifffilePage Page) Read(string path)
    {
        string raw = path + ".raw";
        string json = Run("read", path, raw);
        TifffilePage page = JsonSerializer.Deserialize<TifffilePage>(json)
            ?? throw new InvalidOperationException($"tifffile printed no page description: {json}");
        byte[] bytes = File.ReadAllBytes(raw);
        var pixels = new ushort[bytes.Length / sizeof(ushort)];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (ushort)(bytes[2 * i] | (bytes[(2 * i) + 1] << 8));
        }

        return (pixels, page);
    }

    private static byte[] LittleEndianBytes(ushort[] pixels)
    {
        var bytes = new byte[pixels.Length * sizeof(ushort)];
        for (int i = 0; i < pixels.Length; i++)
        {
            bytes[2 * i] = (byte)pixels[i];
            bytes[(2 * i) + 1] = (byte)(pixels[i] >> 8);
        }

        return bytes;
    }

    private static string Run(params string[] arguments)
    {
        RequireInstalled();
        return SystemPython.Run(Script, arguments);
    }
}
