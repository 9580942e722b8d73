namespace CellPainting.Engine.LockFiles;

/// <summary>
/// Items added, removed or changed in one target: how many, the first few (by group, then id), their bytes when
/// the manifests have a size column (the new size for changed items), and for changed items how many differ in
/// each manifest column.
/// </summary>
public sealed record ItemChanges(int Count, IReadOnlyList<string> First, long? Bytes, IReadOnlyDictionary<string, int> Columns)
{
    public static ItemChanges None { get; } = new(0, [], null, new SortedDictionary<string, int>(StringComparer.Ordinal));
}
