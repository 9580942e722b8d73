using System.Collections.Concurrent;
using System.Text;
using CellPainting.Engine.Items;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>
/// An item's inputs read and joined once per item through the build context's shared value, as stages run together
/// share decoded images; counts how often each item's inputs were really read.
/// </summary>
public sealed class SharedInputs
{
    private readonly ConcurrentDictionary<string, int> reads = new(StringComparer.Ordinal);

    /// <summary>Times each item's inputs were read (absent: never).</summary>
    public IReadOnlyDictionary<string, int> Reads => reads;

    public string Of(WorkItem item, IBuildContext context) =>
        context.Shared("joined:" + item.Id, () =>
        {
            reads.AddOrUpdate(item.Id, 1, (_, count) => count + 1);
            return string.Concat(item.Inputs.Select(input => context.ReadInput(input.Name, bytes => Encoding.UTF8.GetString(bytes))));
        });
}
