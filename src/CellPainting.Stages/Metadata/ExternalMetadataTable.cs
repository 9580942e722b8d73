using System.Diagnostics.CodeAnalysis;

namespace CellPainting.Stages.Metadata;

/// <summary>An external metadata TSV keyed by <c>broad_sample</c>; empty keys are skipped and a repeated key's later row wins, as in the reference.</summary>
internal sealed class ExternalMetadataTable
{
    private readonly DelimitedTable table;
    private readonly Dictionary<string, DelimitedRecord> rows;

    private ExternalMetadataTable(DelimitedTable table, Dictionary<string, DelimitedRecord> rows)
    {
        this.table = table;
        this.rows = rows;
    }

    private static ExternalMetadataTable Empty(string source) => new(new DelimitedTable(source, 1, [], []), []);

    /// <summary>Reads the table; a missing file gives a warning and an empty table, as the reference does.</summary>
    public static ExternalMetadataTable Load(string path, ICollection<MetadataProblem> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add(MetadataProblem.Warning(path, null, "external metadata file not found; its perturbations stay unannotated"));
            return Empty(path);
        }

        return FromTable(DelimitedTableReader.ReadFile(path, '\t', problems), problems);
    }

    public static ExternalMetadataTable FromTable(DelimitedTable table, ICollection<MetadataProblem> problems)
    {
        var path = table.Source;
        if (!table.RequireColumns(problems, "broad_sample"))
        {
            return Empty(path);
        }

        var key = table.IndexOf("broad_sample");
        var rows = new Dictionary<string, DelimitedRecord>(StringComparer.Ordinal);
        foreach (var record in table.Records.Where(r => r[key].Length > 0))
        {
            if (rows.TryGetValue(record[key], out var earlier))
            {
                problems.Add(MetadataProblem.Warning(
                    path,
                    record.Line,
                    $"broad_sample '{record[key]}' already appears at line {earlier.Line}; this later row is used"));
            }

            rows[record[key]] = record;
        }

        return new ExternalMetadataTable(table, rows);
    }

    public bool Contains(string broadSample) => rows.ContainsKey(broadSample);

    public bool TryGetRow(string broadSample, [MaybeNullWhen(false)] out ExternalMetadataRow row)
    {
        row = rows.TryGetValue(broadSample, out var record) ? new ExternalMetadataRow(table, record) : null;
        return row is not null;
    }
}
