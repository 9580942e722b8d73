namespace CellPainting.Stages.Metadata;

/// <summary>Well names of a 384-well plate: rows A–P, columns 01–24, zero-padded (<c>A01</c>…<c>P24</c>).</summary>
public static class WellPosition
{
    public const int Rows = 16;
    public const int Columns = 24;

    /// <summary>All 384 wells in row-major order, which is also their ordinal order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. Enumerable.Range(1, Rows).SelectMany(row => Enumerable.Range(1, Columns).Select(column => FromRowColumn(row, column)))];

    private static readonly HashSet<string> Valid = new(All, StringComparer.Ordinal);

    /// <summary>True for exactly the 384 names of <see cref="All"/>; lower case or unpadded names are not wells.</summary>
    public static bool IsValid(string well)
    {
        ArgumentNullException.ThrowIfNull(well);
        return Valid.Contains(well);
    }

    /// <summary>Row 1 → <c>A</c>; the image file names count rows and columns from 1.</summary>
    public static string FromRowColumn(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(row, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(row, Rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(column, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(column, Columns);
        return $"{(char)('A' + row - 1)}{column:D2}";
    }
}
