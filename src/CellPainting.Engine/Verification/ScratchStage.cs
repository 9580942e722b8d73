using System.Globalization;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Verification;

/// <summary>
/// A stage restricted to some of its items, with their outputs redirected into a scratch folder: same name, recipe
/// and parameters (so the same fingerprints), same file names (a stage may write its file name into the content),
/// and the real outputs are never touched.
/// </summary>
internal class ScratchStage : IStage
{
    private readonly IStage inner;
    private readonly IReadOnlyList<WorkItem> items;

    protected ScratchStage(IStage inner, IReadOnlyList<WorkItem> items)
    {
        this.inner = inner;
        this.items = items;
    }

    public string Name => inner.Name;

    public int RecipeVersion => inner.RecipeVersion;

    public StageParameters Parameters => inner.Parameters;

    public static ScratchStage For(IStage inner, IReadOnlyList<WorkItem> redirected) =>
        inner is IBatchStage batched ? new ScratchBatchStage(batched, redirected) : new ScratchStage(inner, redirected);

    /// <summary>The item with each output at <c>folder/NNNN-id/file name</c>: one folder per item, never outside <paramref name="folder"/>.</summary>
    public static WorkItem Redirect(WorkItem item, int index, string folder)
    {
        ArgumentNullException.ThrowIfNull(item);
        string itemFolder = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{index:D4}-{SafeName(item.Id)}"));
        ItemOutput[] outputs = item.Outputs.Select(output => new ItemOutput(output.Name, Path.Combine(itemFolder, Path.GetFileName(output.Path)))).ToArray();
        return new WorkItem(item.Id, item.Group, item.Inputs, outputs);
    }

    public StageItems Discover() => new(items, [], []);

    public void Build(WorkItem item, IBuildContext context) => inner.Build(item, context);

    private static string SafeName(string id) =>
        string.Concat(id.Select(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_' ? character : '_'));
}
