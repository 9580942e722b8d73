using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CellPainting.Engine.Caching;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Caching;

/// <summary>
/// A cache in an S3 bucket under a prefix: GET and HEAD by key, never a listing; each object put with one PUT, which
/// S3 makes visible whole or not at all. Messages name the bucket and key only, never credentials. Owns its client.
/// </summary>
public sealed class S3CacheStore : ICacheStore, IDisposable
{
    // A cache that stalls must not stall the build: past this a call counts as the store being unreachable.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly IAmazonS3 client;
    private readonly S3Url url;

    public S3CacheStore(IAmazonS3 client, S3Url url)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        this.client = client;
        this.url = url;
    }

    public string Location => url.ToString();

    /// <summary>A HEAD of a key nobody writes: "not found" proves the bucket answers and lets this caller look.</summary>
    public void Probe() => Exists("probe");

    public byte[]? TryGet(string key) => Call(key, async cancellation =>
    {
        try
        {
            using GetObjectResponse response = await client.GetObjectAsync(url.Bucket, url.Prefix + key, cancellation).ConfigureAwait(false);
            using var content = new MemoryStream(response.ContentLength > 0 ? (int)Math.Min(response.ContentLength, int.MaxValue) : 0);
            await response.ResponseStream.CopyToAsync(content, cancellation).ConfigureAwait(false);
            return content.ToArray();
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    });

    public bool Exists(string key) => Call(key, async cancellation =>
    {
        try
        {
            await client.GetObjectMetadataAsync(url.Bucket, url.Prefix + key, cancellation).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    });

    public void Put(string key, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Call(key, async cancellation =>
        {
            using var body = new MemoryStream(content, writable: false);
            await client.PutObjectAsync(new PutObjectRequest { BucketName = url.Bucket, Key = url.Prefix + key, InputStream = body, AutoCloseStream = false }, cancellation).ConfigureAwait(false);
            return true;
        });
    }

    public void Dispose() => client.Dispose();

    private T Call<T>(string key, Func<CancellationToken, Task<T>> call)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            return call(timeout.Token).GetAwaiter().GetResult();
        }
        catch (AmazonServiceException exception)
        {
            throw new CacheUnavailableException($"{Location}{key}: {(int)exception.StatusCode} {exception.ErrorCode}", exception);
        }
        catch (Exception exception) when (exception is AmazonClientException or HttpRequestException or IOException or OperationCanceledException or TimeoutException)
        {
            throw new CacheUnavailableException($"{Location}{key}: {exception.GetType().Name}: {exception.Message}", exception);
        }
    }
}
