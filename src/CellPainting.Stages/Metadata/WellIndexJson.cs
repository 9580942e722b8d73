using System.Text.Encodings.Web;
using System.Text.Json;

namespace CellPainting.Stages.Metadata;

/// <summary>
/// The well index file of a plate, <c>&lt;features or tensors&gt;/&lt;barcode&gt;/well_index.json</c> (see <see cref="WellIndexStage"/>).
/// Same conventions as <see cref="MetadataCacheJson"/>: UTF-8, 2-space indent, LF, final newline, fixed key order,
/// wells in ordinal order and sites in ordinal order within a well:
/// <code>
/// {
///   "format": "cellpainting-well-index/1",
///   "barcode": "BR00116991",
///   "wells": [
///     {
///       "well": "A01",
///       "metadata_key": "BR00116991/A01",
///       "pert_type": "compound",
///       "broad_sample": "BRD-A86665761-001-01-1",
///       "sites": [
///         "r01c01f01.pt",
///         "r01c01f02.pt"
///       ]
///     }
///   ]
/// }
/// </code>
/// <c>metadata_key</c> is <c>BARCODE/WELL</c>, the record of the metadata cache to read, or null when the cache has no such well.
/// </summary>
public static class WellIndexJson
{
    public const string Format = "cellpainting-well-index/1";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(WellIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("barcode", index.Barcode);
            writer.WriteStartArray("wells");
            foreach (var entry in index.Wells.OrderBy(w => w.Well, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("well", entry.Well);
                if (entry.MetadataKey is { } key)
                {
                    writer.WriteString("metadata_key", key.ToString());
                }
                else
                {
                    writer.WriteNull("metadata_key");
                }

                writer.WriteString("pert_type", entry.PertType.ToName());
                writer.WriteString("broad_sample", entry.BroadSample);
                writer.WriteStartArray("sites");
                foreach (var site in entry.Sites.Order(StringComparer.Ordinal))
                {
                    writer.WriteStringValue(site);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
