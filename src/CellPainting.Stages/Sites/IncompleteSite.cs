namespace CellPainting.Stages.Sites;

/// <summary>A site with some fluorescence channels missing; the reference drops these silently, this build reports them.</summary>
public sealed record IncompleteSite(string Barcode, SiteKey Key, IReadOnlyList<int> MissingChannels);
