using Parquet;
using Parquet.Schema;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// A table written as one Parquet row group (Parquet.Net, Snappy): columns in the order added, no nulls, and the
/// file's key-value metadata sorted by key. The bytes depend only on the content: Parquet.Net writes no time, and its
/// created_by names the pinned library version.
/// </summary>
public sealed class ParquetTable
{
    private readonly List<(DataField Field, Func<ParquetRowGroupWriter, DataField, Task> Write)> columns = [];
    private readonly SortedDictionary<string, string> metadata = new(StringComparer.Ordinal);

    public ParquetTable(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Rows = rows;
    }

    public int Rows { get; }

    public IReadOnlyList<string> ColumnNames => [.. columns.Select(column => column.Field.Name)];

    public ParquetTable Strings(string name, IReadOnlyList<string> values)
    {
        Check(name, values.Count);
        string[] copy = [.. values];
        columns.Add((new DataField<string>(name, false), (group, field) => group.WriteAsync(field, copy, null)));
        return this;
    }

    public ParquetTable Int32s(string name, IReadOnlyList<int> values) => Values(name, values);

    public ParquetTable Int64s(string name, IReadOnlyList<long> values) => Values(name, values);

    public ParquetTable Float32s(string name, IReadOnlyList<float> values) => Values(name, values);

    public ParquetTable Float64s(string name, IReadOnlyList<double> values) => Values(name, values);

    /// <summary>A key-value pair of the file's footer (what a level aggregates, the spec, the units).</summary>
    public ParquetTable Describe(string key, string value)
    {
        metadata[key] = value;
        return this;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        // Parquet.Net is asynchronous only; the stream is in memory, so waiting blocks on no I/O.
        WriteAsync(stream).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    private ParquetTable Values<T>(string name, IReadOnlyList<T> values)
        where T : struct
    {
        Check(name, values.Count);
        T[] copy = [.. values];
        columns.Add((new DataField<T>(name), (group, field) => group.WriteAsync<T>(field, copy, null)));
        return this;
    }

    private void Check(string name, int count)
    {
        if (count != Rows)
        {
            throw new ArgumentException($"column {name} has {count} values; the table has {Rows} rows");
        }

        if (columns.Any(column => column.Field.Name == name))
        {
            throw new ArgumentException($"column {name} is added twice");
        }
    }

    private async Task WriteAsync(Stream stream)
    {
        var schema = new ParquetSchema(columns.Select(column => (Field)column.Field));
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }).ConfigureAwait(false);
        writer.CustomMetadata = metadata;
        using ParquetRowGroupWriter group = writer.CreateRowGroup();
        foreach ((DataField field, Func<ParquetRowGroupWriter, DataField, Task> write) in columns)
        {
            await write(group, field).ConfigureAwait(false);
        }
    }
}
