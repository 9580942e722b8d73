using System.Text;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Items;

/// <summary>
/// A stage's parameters in canonical form: keys sorted ordinally, values as invariant strings.
/// Their digest is part of every item's fingerprint, so any change rebuilds the stage's items.
/// </summary>
public sealed class StageParameters
{
    private readonly SortedDictionary<string, string> values;

    public StageParameters(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        this.values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string value) in values)
        {
            if (key.AsSpan().IndexOfAny('=', '\n') >= 0 || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Parameter '{key}' has a character the canonical form cannot hold.", nameof(values));
            }

            this.values.Add(key, value);
        }

        Digest = ContentHash.OfText(CanonicalText);
    }

    public IReadOnlyDictionary<string, string> Values => values;

    public string CanonicalText => string.Concat(values.Select(pair => $"{pair.Key}={pair.Value}\n"));

    public string Digest { get; }

    public static StageParameters Empty { get; } = new([]);
}
