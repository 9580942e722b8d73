namespace CellPainting.Build.Tests.TestSupport;

/// <summary>How a test watching a child build's log from outside tells its lines apart.</summary>
public static class BuildLogLines
{
    /// <summary>A completed item's line: D, or d when the item's id is written without its group.</summary>
    public static bool IsRecord(string line) =>
        line.StartsWith("D\t", StringComparison.Ordinal) || line.StartsWith("d\t", StringComparison.Ordinal);
}
