namespace CellPainting.Stages.Sites;

/// <summary>A site of a plate: row, column and field, written <c>rRRcCCfFF</c> as in output file names.</summary>
public readonly record struct SiteKey(int Row, int Column, int Field) : IComparable<SiteKey>
{
    /// <summary>Row 1 is A, as the reference's <c>chr(64 + row)</c>.</summary>
    public string Well => $"{(char)('A' + Row - 1)}{Column:D2}";

    /// <summary>Row, then column, then field: the ordinal order of the two-digit names, without formatting them (a plate has 17k).</summary>
    public int CompareTo(SiteKey other) => (Row, Column, Field).CompareTo((other.Row, other.Column, other.Field));

    public override string ToString() => $"r{Row:D2}c{Column:D2}f{Field:D2}";
}
