namespace CellPainting.Stages.Layouts;

/// <summary>One product of the profile index: what it is (subset), where (url, relative to the index), how made (permalinks, when known), and its content digest (etag).</summary>
public sealed record ProfileIndexEntry(string Subset, string Url, string? RecipePermalink, string? ConfigPermalink, string Etag);
