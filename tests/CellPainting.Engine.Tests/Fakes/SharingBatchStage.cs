using CellPainting.Engine.Items;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>The batch form of <see cref="SharingStage"/>: reads the shared inputs in Prepare, writes them in BuildBatch.</summary>
public sealed class SharingBatchStage : SharingStage, IBatchStage
{
    public SharingBatchStage(string name, IReadOnlyList<WorkItem> items, SharedInputs inputs)
        : base(name, items, inputs)
    {
    }

    public int BatchSize => 3;

    public object Prepare(WorkItem item, IBuildContext context) => Inputs.Of(item, context);

    public void BuildBatch(IReadOnlyList<PreparedItem> batch)
    {
        foreach (PreparedItem prepared in batch)
        {
            Write(prepared.Context, (string)prepared.Payload);
        }
    }
}
