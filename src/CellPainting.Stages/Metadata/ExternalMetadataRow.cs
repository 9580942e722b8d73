namespace CellPainting.Stages.Metadata;

/// <summary>One row of an external table; distinguishes an absent column from an empty cell, as the reference's field filling does.</summary>
internal sealed class ExternalMetadataRow(DelimitedTable table, DelimitedRecord record)
{
    public bool Has(string column) => table.HasColumn(column);

    /// <summary>The cell, or empty when the table has no such column.</summary>
    public string Get(string column) => record[table.IndexOf(column)];
}
