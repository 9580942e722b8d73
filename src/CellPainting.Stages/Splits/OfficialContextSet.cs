using System.Diagnostics.CodeAnalysis;
using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>The official contexts by (barcode, well), plus where they came from for messages.</summary>
public sealed class OfficialContextSet
{
    private readonly Dictionary<WellKey, OfficialWellContext> contexts;

    /// <exception cref="ArgumentException">Two contexts share a well.</exception>
    public OfficialContextSet(string source, IEnumerable<OfficialWellContext> contexts)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(contexts);
        Source = source;
        this.contexts = [];
        foreach (var context in contexts)
        {
            if (!this.contexts.TryAdd(context.Key, context))
            {
                throw new ArgumentException($"two official contexts for {context.Key}", nameof(contexts));
            }
        }
    }

    /// <summary>Named in "missing official split metadata" messages.</summary>
    public string Source { get; }

    public int Count => contexts.Count;

    public bool TryGet(WellKey key, [MaybeNullWhen(false)] out OfficialWellContext context) =>
        contexts.TryGetValue(key, out context);
}
