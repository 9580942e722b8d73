namespace CellPainting.Engine.LockFiles;

/// <summary>Counts items of one kind of change as a diff walks groups and ids in order, keeping the first few.</summary>
internal sealed class ItemTally
{
    private readonly List<string> first = [];
    private readonly SortedDictionary<string, int> columns = new(StringComparer.Ordinal);
    private int count;
    private long bytes;
    private bool sized;

    public void Add(string group, string itemId, long? size, IEnumerable<string> changedColumns)
    {
        count++;
        if (first.Count < LockDiff.SampleSize)
        {
            // Ids are unique within a group; those that do not already name their group (a site "BR1/r01c01f01", a
            // well index "tensors/BR1") are shown with it (a downloaded object's key).
            bool named = itemId == group || itemId.StartsWith(group + "/", StringComparison.Ordinal) || itemId.EndsWith("/" + group, StringComparison.Ordinal);
            first.Add(named ? itemId : $"{group}/{itemId}");
        }

        if (size is long value)
        {
            sized = true;
            bytes += value;
        }

        foreach (string column in changedColumns)
        {
            columns[column] = columns.GetValueOrDefault(column) + 1;
        }
    }

    public ItemChanges ToChanges() => count == 0 ? ItemChanges.None : new ItemChanges(count, first.ToArray(), sized ? bytes : null, columns);
}
