using Amazon.S3;
using Amazon.S3.Model;

namespace CellPainting.Stages.Download;

/// <summary>Lists every object under a prefix with ListObjectsV2, page by page, each page retried on its own.</summary>
internal sealed class ObjectLister
{
    private readonly IAmazonS3 _client;
    private readonly S3SyncOptions _options;
    private readonly RetryRunner _retry;

    public ObjectLister(IAmazonS3 client, S3SyncOptions options, RetryRunner retry)
    {
        _client = client;
        _options = options;
        _retry = retry;
    }

    public async Task<IReadOnlyList<ListedObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<ListedObject>();
        string? continuationToken = null;
        do
        {
            var request = new ListObjectsV2Request
            {
                BucketName = _options.Bucket,
                Prefix = prefix,
                MaxKeys = _options.ListPageSize,
                ContinuationToken = continuationToken,
            };

            var page = await _retry.RunAsync(prefix, token => ListPageAsync(request, token), cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.S3Objects ?? [])
            {
                objects.Add(new ListedObject(entry.Key, ObjectVerifier.NormalizeETag(entry.ETag ?? string.Empty), entry.Size ?? 0));
            }

            continuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuationToken is not null);

        return objects;
    }

    private async Task<ListObjectsV2Response> ListPageAsync(ListObjectsV2Request request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        return await _client.ListObjectsV2Async(request, timeout.Token).ConfigureAwait(false);
    }
}
