namespace CellPainting.Stages.Download;

/// <summary>
/// The two S3 requests a sync makes, whoever carries them: the SDK (signed, for a profile) or a plain HTTP client
/// (unsigned, for public buckets). Faults surface as the same exceptions either way (service errors as
/// <see cref="Amazon.S3.AmazonS3Exception"/>), so one retry loop and one classifier serve both.
/// </summary>
internal interface IS3Transport : IDisposable
{
    /// <summary>One ListObjectsV2 page of <paramref name="prefix"/>, from the start or after <paramref name="continuationToken"/>.</summary>
    Task<ListPage> ListPageAsync(string prefix, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>The response to a GET of the listed version (If-Match its ETag), headers read and body not yet.</summary>
    Task<S3ObjectBody> GetObjectAsync(ListedObject listed, CancellationToken cancellationToken);
}
