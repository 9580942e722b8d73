namespace CellPainting.Stages.Sites;

/// <summary>A complete site: the image file of each fluorescence channel 1–5, indexed by channel.</summary>
public sealed record DiscoveredSite(string Barcode, SiteKey Key, IReadOnlyDictionary<int, string> ChannelPaths);
