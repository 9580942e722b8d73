using System.Text;
using DuckDB.NET.Data;

namespace CellPainting.TestSupport;

/// <summary>
/// DuckDB (in process, in memory) as a Parquet reader independent of the library that wrote the files: column names
/// and types as DuckDB sees them, rows, and the footer's key-value metadata.
/// </summary>
public static class DuckDbParquet
{
    /// <summary>(name, DuckDB type) of each column of <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<(string Name, string Type)> Columns(string path) =>
        [.. Query($"DESCRIBE SELECT * FROM read_parquet({Literal(path)})").Select(row => ((string)row[0]!, (string)row[1]!))];

    /// <summary>The rows of <paramref name="sql"/>, each value as DuckDB.NET returns it (string, int, float, double, long; a BLOB as byte[]).</summary>
    public static IReadOnlyList<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using DuckDBCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int index = 0; index < row.Length; index++)
            {
                // A BLOB comes as a stream over DuckDB's memory, which the reader frees: copy it out now.
                row[index] = reader.IsDBNull(index) ? null : reader.GetValue(index) is Stream blob ? Bytes(blob) : reader.GetValue(index);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The file's key-value metadata.</summary>
    public static IReadOnlyDictionary<string, string> KeyValueMetadata(string path) =>
        Query($"SELECT key, value FROM parquet_kv_metadata({Literal(path)})")
            .ToDictionary(row => Text(row[0]), row => Text(row[1]), StringComparer.Ordinal);

    /// <summary>A SQL string literal of <paramref name="text"/> (a path, a glob).</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Text(object? value) => value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString() ?? string.Empty;

    private static byte[] Bytes(Stream blob)
    {
        using var copy = new MemoryStream();
        blob.CopyTo(copy);
        return copy.ToArray();
    }
}
