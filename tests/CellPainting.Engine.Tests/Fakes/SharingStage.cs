using System.Text;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>A stage writing its name and the item's <see cref="SharedInputs"/> to its one output "out"; can be told to throw for one item.</summary>
public class SharingStage : IStage
{
    public SharingStage(string name, IReadOnlyList<WorkItem> items, SharedInputs inputs)
    {
        Name = name;
        Items = items;
        Inputs = inputs;
    }

    public string Name { get; }

    public int RecipeVersion => 1;

    public StageParameters Parameters { get; set; } = StageParameters.Empty;

    public IReadOnlyList<WorkItem> Items { get; }

    /// <summary>When set, Build throws an <see cref="InvalidOperationException"/> for the item with this id, after reading the shared inputs.</summary>
    public string? FailFor { get; set; }

    protected SharedInputs Inputs { get; }

    /// <summary>When set, <see cref="DiscoverParts"/> lists a group at a time, in first-listed order.</summary>
    public bool ListsByGroup { get; init; }

    public StageItems Discover() => new(Items, [], []);

    public IEnumerable<StageItems> DiscoverParts() =>
        ListsByGroup
            ? Items.GroupBy(item => item.Group, StringComparer.Ordinal).Select(group => new StageItems(group.ToArray(), [], []))
            : [Discover()];

    public void Build(WorkItem item, IBuildContext context)
    {
        string joined = Inputs.Of(item, context);
        if (item.Id == FailFor)
        {
            throw new InvalidOperationException($"boom while building {item.Id}");
        }

        Write(context, joined);
    }

    protected void Write(IBuildContext context, string joined) =>
        context.WriteOutput("out", stream => stream.Write(Encoding.UTF8.GetBytes($"{Name}: {joined}")));
}
