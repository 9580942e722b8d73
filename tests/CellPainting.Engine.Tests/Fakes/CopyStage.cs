using System.Collections.Concurrent;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>
/// A stage whose every item concatenates its input files, in declaration order, into its one output "out".
/// Counts and remembers Build calls, and can be told to throw for one item.
/// </summary>
public sealed class CopyStage : IStage
{
    private readonly ConcurrentQueue<string> built = new();
    private int buildCalls;

    public CopyStage(IReadOnlyList<WorkItem> items)
    {
        Items = items;
    }

    public string Name { get; init; } = "copy";

    public int RecipeVersion { get; set; } = 1;

    public StageParameters Parameters { get; set; } = StageParameters.Empty;

    public IReadOnlyList<WorkItem> Items { get; set; }

    public IReadOnlyList<ItemProblem> Problems { get; set; } = [];

    public IReadOnlyList<ItemProblem> Skipped { get; set; } = [];

    /// <summary>When set, Build throws an <see cref="InvalidOperationException"/> for the item with this id.</summary>
    public string? FailFor { get; set; }

    /// <summary>When set, Build writes nothing for the item with this id (and does not throw).</summary>
    public string? WriteNothingFor { get; set; }

    public int BuildCalls => Volatile.Read(ref buildCalls);

    /// <summary>The ids of the items built, sorted ordinally.</summary>
    public IReadOnlyList<string> BuiltItems => built.Order(StringComparer.Ordinal).ToArray();

    /// <summary>When set, <see cref="DiscoverParts"/> lists a group at a time (in first-listed order), its problems and skipped items with it.</summary>
    public bool ListsByGroup { get; set; }

    /// <summary>When set, listing the part of this group throws an <see cref="IOException"/>.</summary>
    public string? FailListing { get; set; }

    public StageItems Discover() => new(Items, Problems, Skipped);

    public IEnumerable<StageItems> DiscoverParts()
    {
        if (!ListsByGroup)
        {
            yield return Discover();
            yield break;
        }

        foreach (string group in Items.Select(item => item.Group).Concat(Problems.Concat(Skipped).Select(problem => problem.Group)).Distinct(StringComparer.Ordinal))
        {
            if (group == FailListing)
            {
                throw new IOException($"cannot list {group}");
            }

            yield return new StageItems(
                Items.Where(item => item.Group == group).ToArray(),
                Problems.Where(problem => problem.Group == group).ToArray(),
                Skipped.Where(problem => problem.Group == group).ToArray());
        }
    }

    public void Build(WorkItem item, IBuildContext context)
    {
        Interlocked.Increment(ref buildCalls);
        built.Enqueue(item.Id);
        if (item.Id == FailFor)
        {
            throw new InvalidOperationException($"boom while building {item.Id}");
        }

        if (item.Id == WriteNothingFor)
        {
            return;
        }

        byte[][] contents = item.Inputs.Select(input => context.ReadInput(input.Name, bytes => bytes.ToArray())).ToArray();
        context.WriteOutput("out", stream =>
        {
            foreach (byte[] content in contents)
            {
                stream.Write(content);
            }
        });
    }

    public void ResetCounts()
    {
        Interlocked.Exchange(ref buildCalls, 0);
        built.Clear();
    }
}
