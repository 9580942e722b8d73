using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Download;

/// <summary>Where to sync from and how hard to push. Defaults target the public Cell Painting Gallery anonymously.</summary>
public sealed class S3SyncOptions
{
    /// <summary>Bucket name.</summary>
    public string Bucket { get; init; } = "cellpainting-gallery";

    /// <summary>Region, also used to sign requests to a custom endpoint.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>
    /// Endpoint of an S3-compatible store (MinIO, a loopback test server); null for AWS. Path-style addressing is
    /// used with an endpoint. Must not carry user info: credentials in a URL would leak into error messages.
    /// </summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>
    /// Named profile from the shared AWS config/credentials files; null (the default) sends unsigned requests and
    /// reads no credentials at all, as the gallery's public buckets expect.
    /// </summary>
    public string? Profile { get; init; }

    /// <summary>Concurrent object GETs.</summary>
    public int MaxParallelDownloads { get; init; } = 16;

    /// <summary>Units listed concurrently (each unit's pages are sequential: continuation tokens chain).</summary>
    public int MaxParallelListings { get; init; } = 4;

    /// <summary>Keys per ListObjectsV2 page; 1,000 is the S3 maximum.</summary>
    public int ListPageSize { get; init; } = 1000;

    /// <summary>Wait for response headers, and the longest stall allowed between two body reads.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Backoff for transient faults.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Delete local copies of objects that disappeared remotely; off by default (they are only reported).</summary>
    public bool DeleteRemovedObjects { get; init; }

    /// <summary>
    /// Options reaching <paramref name="bucket"/> as the fetch settings say (endpoint, region; anonymous unless signing
    /// is on and a profile is named), with <paramref name="parallelism"/> requests at once.
    /// </summary>
    public static S3SyncOptions For(string bucket, FetchSettings fetch, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        return new S3SyncOptions
        {
            Bucket = bucket,
            Region = fetch.Region,
            EndpointUrl = fetch.EndpointUrl is null ? null : new Uri(fetch.EndpointUrl),
            Profile = fetch.NoSignRequest ? null : fetch.Profile,
            MaxParallelDownloads = parallelism,
            DeleteRemovedObjects = fetch.DeleteRemoved,
        };
    }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Bucket, nameof(Bucket));
        ArgumentException.ThrowIfNullOrWhiteSpace(Region, nameof(Region));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelDownloads, 1, nameof(MaxParallelDownloads));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelListings, 1, nameof(MaxParallelListings));
        ArgumentOutOfRangeException.ThrowIfLessThan(ListPageSize, 1, nameof(ListPageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ListPageSize, 1000, nameof(ListPageSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentNullException.ThrowIfNull(Retry, nameof(Retry));
        Retry.Validate();

        if (EndpointUrl is not null)
        {
            if (!EndpointUrl.IsAbsoluteUri || (EndpointUrl.Scheme != Uri.UriSchemeHttp && EndpointUrl.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException("EndpointUrl must be an absolute http(s) URL.", nameof(EndpointUrl));
            }

            if (EndpointUrl.UserInfo.Length > 0)
            {
                // Do not echo the URL: its user info is the secret.
                throw new ArgumentException("EndpointUrl must not contain user info; use a profile for credentials.", nameof(EndpointUrl));
            }
        }
    }
}
