namespace CellPainting.Stages.Sites;

/// <summary>What one plate's image directory holds: complete sites, incomplete ones, or why it could not be read.</summary>
public sealed record PlateScan(string Barcode, string ImageDirectory, IReadOnlyList<DiscoveredSite> Sites, IReadOnlyList<IncompleteSite> Incomplete, string? Error);
