using System.Text.Json.Serialization;

namespace CellPainting.Stages.Tests.Imaging;

/// <summary>What tifffile reports about the first page of a file, as printed by <see cref="Tifffile.Read"/>.</summary>
internal sealed record TifffilePage(
    [property: JsonPropertyName("dtype")] string DType,
    [property: JsonPropertyName("shape")] int[] Shape,
    [property: JsonPropertyName("byteOrder")] string ByteOrder,
    [property: JsonPropertyName("pages")] int Pages,
    [property: JsonPropertyName("compression")] int Compression,
    [property: JsonPropertyName("predictor")] int Predictor,
    [property: JsonPropertyName("tiled")] bool Tiled,
    [property: JsonPropertyName("tileWidth")] int TileWidth,
    [property: JsonPropertyName("tileLength")] int TileLength,
    [property: JsonPropertyName("rowsPerStrip")] int RowsPerStrip,
    [property: JsonPropertyName("tags")] int[] Tags);
