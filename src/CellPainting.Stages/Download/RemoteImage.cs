using CellPainting.Engine.Items;

namespace CellPainting.Stages.Download;

/// <summary>
/// One listed raw image object as a site's input: known by the digest its record gives when the listing vouches for it
/// (same ETag and size as recorded), fetched only by a build that needs its bytes; a digest learnt by fetching is
/// handed back to the dataset, for the lock.
/// </summary>
internal sealed class RemoteImage : IRemoteInput
{
    private readonly RemoteDataset dataset;
    private readonly string key;
    private readonly string etag;
    private readonly string? recorded;

    public RemoteImage(RemoteDataset dataset, string key, RemoteObjectRecord record)
    {
        this.dataset = dataset;
        this.key = key;
        etag = record.ETag;
        Size = record.Size;
        recorded = record.Sha256;
    }

    public string Location => $"s3://{dataset.Bucket}/{key}";

    public long Size { get; }

    /// <summary>The recorded digest, or one a build of this run learnt (so the next stage reading the image fetches nothing to know it).</summary>
    public string? Sha256 => recorded ?? dataset.LearntDigestOf(key);

    public bool KeepLocal => dataset.KeepRaw;

    public async Task<RemoteBytes> FetchAsync(CancellationToken cancellationToken)
    {
        RemoteBytes fetched = await dataset.Synchronizer.FetchAsync(key, etag, Size, cancellationToken).ConfigureAwait(false);
        if (recorded is null)
        {
            dataset.Learn(key, fetched.Sha256);
        }

        return fetched;
    }
}
