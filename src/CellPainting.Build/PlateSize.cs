namespace CellPainting.Build;

/// <summary>A plate's weight in a shard plan: its sites, and where that number comes from (images, platemap, nominal).</summary>
internal sealed record PlateSize(string Barcode, int Sites, string Source);
