namespace CellPainting.Stages.Download;

/// <summary>Lists every object under a prefix with ListObjectsV2, page by page, each page retried on its own.</summary>
internal sealed class ObjectLister
{
    private readonly IS3Transport _transport;
    private readonly S3SyncOptions _options;
    private readonly RetryRunner _retry;

    public ObjectLister(IS3Transport transport, S3SyncOptions options, RetryRunner retry)
    {
        _transport = transport;
        _options = options;
        _retry = retry;
    }

    public async Task<IReadOnlyList<ListedObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<ListedObject>();
        string? continuationToken = null;
        do
        {
            var token = continuationToken;
            var page = await _retry.RunAsync(prefix, cancellation => ListPageAsync(prefix, token, cancellation), cancellationToken).ConfigureAwait(false);
            objects.AddRange(page.Objects);
            continuationToken = page.NextContinuationToken;
        }
        while (continuationToken is not null);

        return objects;
    }

    private async Task<ListPage> ListPageAsync(string prefix, string? continuationToken, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        return await _transport.ListPageAsync(prefix, continuationToken, timeout.Token).ConfigureAwait(false);
    }
}
