using Amazon.Runtime.Internal.Util;
using Amazon.S3;
using Amazon.S3.Model;

namespace CellPainting.Stages.Download;

/// <summary>ListObjectsV2 and GET through the AWS SDK, which signs them: the transport for a configured profile.</summary>
internal sealed class SdkS3Transport : IS3Transport
{
    private readonly AmazonS3Client _client;
    private readonly S3SyncOptions _options;

    public SdkS3Transport(AmazonS3Client client, S3SyncOptions options)
    {
        _client = client;
        _options = options;
    }

    public async Task<ListPage> ListPageAsync(string prefix, string? continuationToken, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request
        {
            BucketName = _options.Bucket,
            Prefix = prefix,
            MaxKeys = _options.ListPageSize,
            ContinuationToken = continuationToken,
        };

        var page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
        var objects = (page.S3Objects ?? []).ConvertAll(entry => new ListedObject(entry.Key, ObjectVerifier.NormalizeETag(entry.ETag ?? string.Empty), entry.Size ?? 0));
        return new ListPage(objects, page.IsTruncated == true ? page.NextContinuationToken : null);
    }

    public async Task<S3ObjectBody> GetObjectAsync(ListedObject listed, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest
        {
            BucketName = _options.Bucket,
            Key = listed.Key,
            // If the object changes between listing and GET, S3 answers 412 instead of a body that would not match.
            EtagToMatch = $"\"{listed.ETag}\"",
        };

        var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);

        // The SDK wraps single-part bodies in its own MD5 check, which throws a non-retryable client exception on
        // mismatch. The downloader hashes the same bytes in the same pass (MD5 and SHA-256) and retries a mismatch,
        // so it reads the unwrapped HTTP body instead of hashing everything twice.
        var body = response.ResponseStream is MD5Stream sdkCheck ? sdkCheck.GetNonWrapperBaseStream() : response.ResponseStream;
        return new S3ObjectBody(body, response.ContentLength, response);
    }

    public void Dispose() => _client.Dispose();
}
