namespace CellPainting.Stages.Sites;

/// <summary>A site of a plate: row, column and field, written <c>rRRcCCfFF</c> as in output file names.</summary>
public readonly record struct SiteKey(int Row, int Column, int Field) : IComparable<SiteKey>
{
    /// <summary>Row 1 is A, as the reference's <c>chr(64 + row)</c>.</summary>
    public string Well => $"{(char)('A' + Row - 1)}{Column:D2}";

    /// <summary>Row, then column, then field: the ordinal order of the two-digit names, without formatting them (a plate has 17k).</summary>
    public int CompareTo(SiteKey other) => (Row, Column, Field).CompareTo((other.Row, other.Column, other.Field));

    public override string ToString() => $"r{Row:D2}c{Column:D2}f{Field:D2}";

    /// <summary>The site of a file named <c>rRRcCCfFF&lt;extension&gt;</c> in wells A01–P24 (e.g. <c>r01c01f01.pt</c>).</summary>
    public static bool TryParseFileName(string name, string extension, out SiteKey key)
    {
        ArgumentNullException.ThrowIfNull(name);
        key = default;
        if (name.Length != 9 + extension.Length || !name.EndsWith(extension, StringComparison.Ordinal) || name[0] != 'r' || name[3] != 'c' || name[6] != 'f'
            || !TwoDigits(name, 1, out int row) || !TwoDigits(name, 4, out int column) || !TwoDigits(name, 7, out int field)
            || row is < 1 or > 16 || column is < 1 or > 24)
        {
            return false;
        }

        key = new SiteKey(row, column, field);
        return true;
    }

    private static bool TwoDigits(string text, int start, out int value)
    {
        value = ((text[start] - '0') * 10) + (text[start + 1] - '0');
        return char.IsAsciiDigit(text[start]) && char.IsAsciiDigit(text[start + 1]);
    }
}
