namespace CellPainting.Engine.Items;

/// <summary>An item of a batch stage after <see cref="IBatchStage.Prepare"/>: its context, its payload, and whether it failed.</summary>
public sealed class PreparedItem
{
    public PreparedItem(WorkItem item, IBuildContext context, object payload)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(payload);
        Item = item;
        Context = context;
        Payload = payload;
    }

    public WorkItem Item { get; }

    public IBuildContext Context { get; }

    public object Payload { get; }

    public string? Error { get; private set; }

    /// <summary>Fails this item alone; the rest of the batch goes on.</summary>
    public void Fail(string error) => Error = error;
}
