using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>Everything a split strategy reads.</summary>
/// <param name="DatasetIndex">
/// The dataset's wells (those with features). They are taken in ordinal (barcode, well) order, which is the
/// reference's index order when plates are named by barcode; duplicates are an error.
/// </param>
/// <param name="Metadata">The metadata cache.</param>
public sealed record SplitInputs(IReadOnlyList<WellKey> DatasetIndex, MetadataCache Metadata)
{
    /// <summary>Needed by the official strategies; for the others it only fills the manifest's context columns.</summary>
    public OfficialContextSet? OfficialContexts { get; init; }

    /// <summary>Needed by <see cref="SplitStrategy.CellclipCpjumpStyle"/>.</summary>
    public ExperimentMetadata? Experiments { get; init; }

    public SplitParameters Parameters { get; init; } = new();

    public MissingContextPolicy MissingContext { get; init; } = MissingContextPolicy.Fail;
}
