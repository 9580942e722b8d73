namespace CellPainting.Stages.Metadata;

/// <summary>What <see cref="MetadataLoader.Load"/> produced: the cache (only trustworthy without errors) and every problem found.</summary>
public sealed record MetadataBuildResult(MetadataCache Cache, IReadOnlyList<MetadataProblem> Problems)
{
    public bool HasErrors => Problems.Any(p => p.IsError);
}
