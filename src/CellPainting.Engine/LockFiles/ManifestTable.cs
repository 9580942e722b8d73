using System.Globalization;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// A group manifest read without knowing what it records: the header (<c># id&lt;TAB&gt;column...</c>) names the
/// columns, each row is keyed by its first field. A column named <c>size</c> holds byte counts, which is how a
/// review of the lock can say how many bytes a change adds without knowing what the objects are.
/// </summary>
public sealed class ManifestTable
{
    public const string SizeColumn = "size";

    private readonly Dictionary<string, ManifestRow> rows;

    private ManifestTable(IReadOnlyList<string> columns, Dictionary<string, ManifestRow> rows)
    {
        Columns = columns;
        this.rows = rows;
    }

    /// <summary>The columns after the id column, as the header names them.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The index of a column in each row's fields, or -1 when the manifest has no such column.</summary>
    public int ColumnIndex(string column)
    {
        for (int index = 0; index < Columns.Count; index++)
        {
            if (Columns[index] == column)
            {
                return index;
            }
        }

        return -1;
    }

    public IReadOnlyDictionary<string, ManifestRow> Rows => rows;

    public static ManifestTable Parse(string content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        string[] lines = content.Split('\n');
        if (!lines[0].StartsWith('#'))
        {
            throw new LockFileException($"{fileName}:1: expected a header line '# id<TAB>column...'.");
        }

        string[] header = lines[0][1..].TrimStart().Split('\t');
        string[] columns = header[1..];
        int sizeIndex = Array.IndexOf(columns, SizeColumn);
        var rows = new Dictionary<string, ManifestRow>(StringComparer.Ordinal);
        for (int index = 1; index < lines.Length; index++)
        {
            string line = lines[index];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (fields.Length != header.Length)
            {
                throw new LockFileException($"{fileName}:{index + 1}: expected {header.Length} tab-separated fields, found {fields.Length}.");
            }

            long? size = null;
            if (sizeIndex >= 0)
            {
                size = long.TryParse(fields[sizeIndex + 1], NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)
                    ? bytes
                    : throw new LockFileException($"{fileName}:{index + 1}: {SizeColumn} '{fields[sizeIndex + 1]}' is not a byte count.");
            }

            if (!rows.TryAdd(fields[0], new ManifestRow(fields[1..], size)))
            {
                throw new LockFileException($"{fileName}:{index + 1}: item '{fields[0]}' is listed twice.");
            }
        }

        return new ManifestTable(columns, rows);
    }
}
