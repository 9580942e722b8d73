namespace CellPainting.Stages.Metadata;

/// <summary>
/// Per plate, which wells have site files and what they hold, so a consumer can build a dataset without scanning
/// folders or joining metadata. Written by <see cref="WellIndexJson"/> next to the plate's features or tensors.
/// </summary>
/// <param name="Barcode">The plate.</param>
/// <param name="Wells">Wells with at least one site, ordered by well.</param>
public sealed record WellIndex(string Barcode, IReadOnlyList<WellIndexEntry> Wells);
