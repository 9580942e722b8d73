using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>A strategy's manifest rows (dataset index order; empty when there are errors) and the problems met.</summary>
public sealed record SplitResult(SplitStrategy Strategy, IReadOnlyList<SplitManifestRow> Rows, IReadOnlyList<MetadataProblem> Problems)
{
    public bool HasErrors => Problems.Any(p => p.IsError);
}
