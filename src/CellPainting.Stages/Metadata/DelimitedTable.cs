namespace CellPainting.Stages.Metadata;

/// <summary>A parsed CSV or TSV file: header names plus records, addressed by column name.</summary>
internal sealed class DelimitedTable(string source, int headerLine, IReadOnlyList<string> header, IReadOnlyList<DelimitedRecord> records)
{
    /// <summary>The path shown in problems.</summary>
    public string Source { get; } = source;

    /// <summary>1-based line of the header (blank lines before it are skipped).</summary>
    public int HeaderLine { get; } = headerLine;

    public IReadOnlyList<string> Header { get; } = header;

    public IReadOnlyList<DelimitedRecord> Records { get; } = records;

    public bool HasColumn(string name) => IndexOf(name) >= 0;

    /// <summary>Index of the column, -1 when absent; with duplicate names the last wins, as in a Python dict row.</summary>
    public int IndexOf(string name)
    {
        for (var i = Header.Count - 1; i >= 0; i--)
        {
            if (string.Equals(Header[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Adds one error per missing column (naming the header line) and says whether all were present.</summary>
    public bool RequireColumns(ICollection<MetadataProblem> problems, params string[] names)
    {
        var missing = names.Where(n => !HasColumn(n)).ToList();
        foreach (var name in missing)
        {
            var found = Header.Count == 0 ? "the file has no header" : "found: " + string.Join(", ", Header);
            problems.Add(MetadataProblem.Error(Source, HeaderLine, $"missing required column '{name}' ({found})"));
        }

        return missing.Count == 0;
    }
}
