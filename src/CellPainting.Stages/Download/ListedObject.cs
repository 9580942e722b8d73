namespace CellPainting.Stages.Download;

/// <summary>One entry of a ListObjectsV2 page, ETag normalised.</summary>
internal sealed record ListedObject(string Key, string ETag, long Size);
