using CellPainting.Engine.Items;

namespace CellPainting.Stages.Download;

/// <summary>A plate's image objects as listed in the bucket, by file name; or why they could not be listed.</summary>
public sealed record PlateImages(IReadOnlyDictionary<string, IRemoteInput> Objects, string? ListingError);
