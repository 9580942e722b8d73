namespace CellPainting.Stages.Sites;

/// <summary>A site of a plate: row, column and field, written <c>rRRcCCfFF</c> as in output file names.</summary>
public readonly record struct SiteKey(int Row, int Column, int Field) : IComparable<SiteKey>
{
    /// <summary>Row 1 is A, as the reference's <c>chr(64 + row)</c>.</summary>
    public string Well => $"{(char)('A' + Row - 1)}{Column:D2}";

    public int CompareTo(SiteKey other) => string.CompareOrdinal(ToString(), other.ToString());

    public override string ToString() => $"r{Row:D2}c{Column:D2}f{Field:D2}";
}
