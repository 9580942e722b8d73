using CellPainting.Engine.Caching;

namespace CellPainting.Stages.Configuration;

/// <summary>
/// The shared build cache: an <c>s3://bucket/prefix</c> (reached with the <c>fetch</c> endpoint, region and
/// credentials) or a folder (absolute once loaded); off, read or read-write; and whether a run may go on without it.
/// </summary>
public sealed record CacheSettings(string? Url, CacheMode Mode, bool Required)
{
    public static CacheSettings Off { get; } = new(null, CacheMode.Off, false);

    /// <summary>The bucket and key prefix ("" or ending in '/') of an S3 cache; null for a folder.</summary>
    public S3Url? Bucket => Url is not null && S3Url.TryParse(Url, out S3Url? parsed) ? parsed : null;
}
