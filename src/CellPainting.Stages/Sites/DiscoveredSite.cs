namespace CellPainting.Stages.Sites;

/// <summary>A complete site: the image file of each fluorescence channel 1–5, in channel order (channel 1 first).</summary>
public sealed record DiscoveredSite(string Barcode, SiteKey Key, IReadOnlyList<string> ChannelPaths);
