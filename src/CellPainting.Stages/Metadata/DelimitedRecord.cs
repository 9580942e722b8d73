namespace CellPainting.Stages.Metadata;

/// <summary>One data record of a <see cref="DelimitedTable"/>, with the line it starts on for error messages.</summary>
internal sealed class DelimitedRecord(int line, IReadOnlyList<string> fields)
{
    /// <summary>1-based physical line where the record starts (a quoted field may span several lines).</summary>
    public int Line { get; } = line;

    public IReadOnlyList<string> Fields { get; } = fields;

    /// <summary>The field at <paramref name="index"/>; a short record reads as empty there, as Python's csv.DictReader gives None.</summary>
    public string this[int index] => index >= 0 && index < Fields.Count ? Fields[index] : "";
}
