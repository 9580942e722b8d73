using CellPainting.Engine.Caching;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Download;

namespace CellPainting.Stages.Caching;

/// <summary>Opens the configured shared cache: a bucket reached as <c>fetch</c> reaches S3, or a folder.</summary>
public static class SharedCache
{
    /// <summary>The cache's client, or null when the cache is off.</summary>
    public static ItemCache? Open(CacheSettings cache, FetchSettings fetch, int parallelism) =>
        OpenStore(cache, fetch, parallelism) is { } store ? new ItemCache(store, cache.Mode) : null;

    /// <summary>The cache's store, or null when the cache is off; an S3 store owns a client its caller disposes.</summary>
    public static ICacheStore? OpenStore(CacheSettings cache, FetchSettings fetch, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(fetch);
        if (cache.Mode == CacheMode.Off)
        {
            return null;
        }

        return cache.Bucket is { } bucket
            ? new S3CacheStore(S3ClientFactory.Create(S3SyncOptions.For(bucket.Bucket, fetch, parallelism)), bucket)
            : new FolderCacheStore(cache.Url!);
    }
}
