using System.Text;

namespace CellPainting.Stages.Splits;

/// <summary>
/// Writes a split manifest (<c>data/splits/&lt;strategy&gt;.csv</c>) as pandas' <c>to_csv(index=False)</c> would:
/// the reference's header, comma, LF after every row, a field quoted (quotes doubled) only when it holds a comma,
/// a quote or a line break; UTF-8 without BOM. Rows are written in the order given.
/// </summary>
public static class SplitManifestCsv
{
    public const string Header =
        "split_strategy,subset,Metadata_Plate,Metadata_Well,Metadata_broad_sample,Metadata_cell_line,"
        + "Metadata_experiment_type,Metadata_timepoint,Metadata_timepoint_code,Metadata_target";

    public static byte[] Serialize(IEnumerable<SplitManifestRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var row in rows)
        {
            string[] fields =
            [
                row.SplitStrategy, row.Subset, row.MetadataPlate, row.MetadataWell, row.MetadataBroadSample, row.MetadataCellLine,
                row.MetadataExperimentType, row.MetadataTimepoint, row.MetadataTimepointCode, row.MetadataTarget,
            ];
            text.AppendJoin(',', fields.Select(Quote)).Append('\n');
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
