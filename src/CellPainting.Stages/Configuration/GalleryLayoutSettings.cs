namespace CellPainting.Stages.Configuration;

/// <summary>
/// The Cell Painting Gallery tree: <c>&lt;Root&gt;/workspace_dl/profiles/&lt;variant&gt;/&lt;batch&gt;/&lt;plate&gt;/</c>.
/// <see cref="Source"/> fills <c>Metadata_Source</c> (by default the endpoint's last segment, <c>source_4</c>);
/// <see cref="Repository"/> is the recipe repository's URL the manifest's permalinks point into (with a commit given at run time).
/// </summary>
public sealed record GalleryLayoutSettings(string Root, string Source, string? Repository);
