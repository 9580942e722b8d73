namespace CellPainting.Engine.Items;

/// <summary>
/// The unit of incrementality: one item is built, skipped, or fails on its own.
/// <see cref="Group"/> collects items for the lock (one manifest per group), e.g. the sites of one plate.
/// </summary>
public sealed class WorkItem
{
    public WorkItem(string id, string group, IReadOnlyList<ItemInput> inputs, IReadOnlyList<ItemOutput> outputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (id.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
        {
            throw new ArgumentException($"Item id '{id}' contains a tab or a line break.", nameof(id));
        }

        Id = id;
        Group = group;
        Inputs = inputs;
        Outputs = outputs;
    }

    public string Id { get; }

    public string Group { get; }

    public IReadOnlyList<ItemInput> Inputs { get; }

    public IReadOnlyList<ItemOutput> Outputs { get; }

    public override string ToString() => Id;
}
