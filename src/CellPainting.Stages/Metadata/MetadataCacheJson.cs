using System.Text.Encodings.Web;
using System.Text.Json;

namespace CellPainting.Stages.Metadata;

/// <summary>
/// The metadata cache file (<c>data/metadata/cache/&lt;batch&gt;.json</c>). Byte-deterministic: UTF-8 without BOM,
/// 2-space indent, LF, a final newline, keys in the fixed order below, records sorted by barcode then well,
/// and only the characters JSON requires escaped (so SMILES keep their <c>+</c>, <c>=</c> and <c>#</c>).
/// <code>
/// {
///   "format": "cellpainting-metadata-cache/1",
///   "batch": "2020_11_04_CPJUMP1",
///   "records": [
///     {
///       "barcode": "BR00116991", "well": "A01", "plate_map_name": "JUMP-Target-1_compound_platemap",
///       "pert_type": "compound", "broad_sample": "...", "pert_iname": "...", "target_list": "...",
///       "gene": "", "smiles": "...", "pubchem_cid": "...", "moa": "", "protein_name": "", "go_terms": "",
///       "cell_line": "", "control_type": "", "target_sequence": "", "negcon_control_type": "",
///       "text_name_only": "...", "text_name_target": "...", "text_full": "..."
///     }
///   ]
/// }
/// </code>
/// (one key per line in the file). The three texts are <see cref="PerturbationText"/> at each level; they are
/// written for consumers and recomputed, not read back.
/// </summary>
public static class MetadataCacheJson
{
    public const string Format = "cellpainting-metadata-cache/1";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] InfoFields =
    [
        "broad_sample", "pert_iname", "target_list", "gene", "smiles", "pubchem_cid", "moa", "protein_name",
        "go_terms", "cell_line", "control_type", "target_sequence", "negcon_control_type",
    ];

    public static byte[] Serialize(MetadataCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("batch", cache.Batch);
            writer.WriteStartArray("records");
            foreach (var record in cache.Records)
            {
                WriteRecord(writer, record);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>Reads a cache written by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not such a cache; the message names <paramref name="source"/> and the record.</exception>
    public static MetadataCache Deserialize(ReadOnlySpan<byte> json, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var format = RequireString(root, "format", source, "the file");
            if (format != Format)
            {
                throw new InvalidDataException($"{source}: format is '{format}', expected '{Format}'");
            }

            var batch = RequireString(root, "batch", source, "the file");
            if (!root.TryGetProperty("records", out var recordArray) || recordArray.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{source}: 'records' is missing or not an array");
            }

            var records = recordArray.EnumerateArray().Select((element, i) => ReadRecord(element, source, $"record {i}")).ToList();
            return new MetadataCache(batch, records);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private static void WriteRecord(Utf8JsonWriter writer, WellMetadata record)
    {
        var info = record.Info;
        writer.WriteStartObject();
        writer.WriteString("barcode", record.Key.Barcode);
        writer.WriteString("well", record.Key.Well);
        writer.WriteString("plate_map_name", record.PlateMapName);
        writer.WriteString("pert_type", info.PertType.ToName());
        string[] values =
        [
            info.BroadSample, info.PertIname, info.TargetList, info.Gene, info.Smiles, info.PubchemCid, info.Moa,
            info.ProteinName, info.GoTerms, info.CellLine, info.ControlType, info.TargetSequence, info.NegconControlType,
        ];
        for (var i = 0; i < InfoFields.Length; i++)
        {
            writer.WriteString(InfoFields[i], values[i]);
        }

        writer.WriteString("text_name_only", PerturbationText.Generate(info, TextLevel.NameOnly));
        writer.WriteString("text_name_target", PerturbationText.Generate(info, TextLevel.NameTarget));
        writer.WriteString("text_full", PerturbationText.Generate(info, TextLevel.Full));
        writer.WriteEndObject();
    }

    private static WellMetadata ReadRecord(JsonElement element, string source, string where)
    {
        string Field(string name) => RequireString(element, name, source, where);
        var typeName = Field("pert_type");
        if (!PerturbationTypeNames.TryParse(typeName, out var type))
        {
            throw new InvalidDataException($"{source}: {where}: unknown pert_type '{typeName}'");
        }

        var info = new PerturbationInfo
        {
            PertType = type,
            BroadSample = Field("broad_sample"),
            PertIname = Field("pert_iname"),
            TargetList = Field("target_list"),
            Gene = Field("gene"),
            Smiles = Field("smiles"),
            PubchemCid = Field("pubchem_cid"),
            Moa = Field("moa"),
            ProteinName = Field("protein_name"),
            GoTerms = Field("go_terms"),
            CellLine = Field("cell_line"),
            ControlType = Field("control_type"),
            TargetSequence = Field("target_sequence"),
            NegconControlType = Field("negcon_control_type"),
        };
        return new WellMetadata(new WellKey(Field("barcode"), Field("well")), Field("plate_map_name"), info);
    }

    private static string RequireString(JsonElement element, string name, string source, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{source}: {where}: '{name}' is missing or not a string");
}
