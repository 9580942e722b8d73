namespace CellPainting.Stages.Download;

/// <summary>
/// What a sync remembers about one object, keyed by its full S3 key in the caller's store: the version (ETag and
/// size, compared on the next sync) and the SHA-256 of the local copy computed while it streamed in.
/// </summary>
/// <param name="ETag">Normalised ETag (no quotes); multipart ETags keep their '-N' suffix.</param>
/// <param name="Size">Object size in bytes.</param>
/// <param name="Sha256">
/// Lower-case hex SHA-256 of the body; null for an object listed but never fetched (a list-only unit), whose digest is
/// learnt by the first build that fetches it.
/// </param>
public sealed record RemoteObjectRecord(string ETag, long Size, string? Sha256);
