using System.Globalization;
using System.Net;

namespace CellPainting.Stages.Download;

/// <summary>
/// Unsigned ListObjectsV2 and GET over one pooled <see cref="HttpClient"/> (HTTP/1.1 keep-alive), for public buckets.
/// A request here is a URL and a header: the SDK's per-request pipeline (endpoint resolution, marshalling, checksum
/// and signing handlers) cost about 7 ms of CPU per small object and most of a no-op sync's listing time. Path-style
/// URLs for a custom endpoint, as the SDK uses with one; virtual-hosted regional ones for AWS.
/// </summary>
internal sealed class HttpS3Transport : IS3Transport
{
    private static readonly UriCreationOptions VerbatimPath = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly S3SyncOptions _options;
    private readonly HttpClient _client;
    private readonly string _bucketUrl;

    public HttpS3Transport(S3SyncOptions options)
    {
        _options = options;
        _bucketUrl = BucketUrl(options);
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxParallelDownloads + options.MaxParallelListings,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.RequestTimeout,
            // S3 spreads a name over many addresses; new connections now and then follow its DNS.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            // Callers time requests out themselves (headers, then each body read), as with the SDK.
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    public async Task<ListPage> ListPageAsync(string prefix, string? continuationToken, CancellationToken cancellationToken)
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"?list-type=2&encoding-type=url&max-keys={_options.ListPageSize}&prefix={Uri.EscapeDataString(prefix)}");
        if (continuationToken is not null)
        {
            query += "&continuation-token=" + Uri.EscapeDataString(continuationToken);
        }

        using var response = await _client.GetAsync(new Uri(_bucketUrl + query, VerbatimPath), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"listing s3://{_options.Bucket}/{prefix}", cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return ListPage.Parse(body, _options.Bucket, prefix);
    }

    public async Task<S3ObjectBody> GetObjectAsync(ListedObject listed, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_bucketUrl + EscapeKey(listed.Key), VerbatimPath));
        // If the object changes between listing and GET, S3 answers 412 instead of a body that would not match.
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{listed.ETag}\"");
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, $"s3://{_options.Bucket}/{listed.Key}", cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new S3ObjectBody(body, response.Content.Headers.ContentLength ?? -1, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Each segment percent-encoded (RFC 3986 unreserved characters kept), '/' kept: S3's own key encoding.</summary>
    internal static string EscapeKey(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The bucket's URL, ending in '/': an object's URL is this and its escaped key.</summary>
    internal static string BucketUrl(S3SyncOptions options)
    {
        if (options.EndpointUrl is not null)
        {
            return $"{options.EndpointUrl.AbsoluteUri.TrimEnd('/')}/{Uri.EscapeDataString(options.Bucket)}/";
        }

        // The China regions are a partition of their own, under amazonaws.com.cn.
        string domain = options.Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

        // A name with dots would not match the wildcard certificate of *.s3.<region>.<domain>, and legacy names
        // with capitals or underscores are no host names: those go path-style.
        return options.Bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? $"https://{options.Bucket}.s3.{options.Region}.{domain}/"
            : $"https://s3.{options.Region}.{domain}/{Uri.EscapeDataString(options.Bucket)}/";
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string subject, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw S3ErrorResponse.ToException(response.StatusCode, body, subject);
    }
}
