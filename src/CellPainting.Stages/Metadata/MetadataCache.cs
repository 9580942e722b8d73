using System.Diagnostics.CodeAnalysis;

namespace CellPainting.Stages.Metadata;

/// <summary>
/// The merged metadata of one batch: one <see cref="WellMetadata"/> per (barcode, well) of every configured
/// plate, sorted by barcode then well. This is what the <c>Metadata</c> target writes and later targets read.
/// </summary>
public sealed class MetadataCache
{
    private readonly Dictionary<WellKey, WellMetadata> byKey;

    /// <exception cref="ArgumentException">Two records share a (barcode, well).</exception>
    public MetadataCache(string batch, IEnumerable<WellMetadata> records)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(records);
        Batch = batch;
        Records = [.. records.OrderBy(r => r.Key)];
        byKey = new Dictionary<WellKey, WellMetadata>(Records.Count);
        foreach (var record in Records)
        {
            if (!byKey.TryAdd(record.Key, record))
            {
                throw new ArgumentException($"the metadata holds {record.Key} twice", nameof(records));
            }
        }
    }

    public string Batch { get; }

    public IReadOnlyList<WellMetadata> Records { get; }

    public bool TryGet(WellKey key, [MaybeNullWhen(false)] out WellMetadata record) =>
        byKey.TryGetValue(key, out record);

    /// <summary>The well's info, or <see cref="PerturbationInfo.Unknown"/> when the cache has no such well (as the reference's <c>lookup</c>).</summary>
    public PerturbationInfo Lookup(WellKey key) => byKey.TryGetValue(key, out var record) ? record.Info : PerturbationInfo.Unknown;
}
