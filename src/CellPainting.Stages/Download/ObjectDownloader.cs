using System.Buffers;
using System.Security.Cryptography;
using CellPainting.Engine.IO;
using CellPainting.Engine.Items;

namespace CellPainting.Stages.Download;

/// <summary>
/// Fetches one object: GET pinned to the listed ETag, streamed into a temporary file beside the target (named as
/// <see cref="AtomicFile.TemporaryPathFor"/> names them, so that Clean finds what a killed sync left) while SHA-256
/// (and MD5 for single-part ETags) are computed, verified, then renamed over the target. The target path therefore
/// only ever holds a complete, verified body.
/// </summary>
internal sealed class ObjectDownloader
{
    private const int BufferSize = 128 * 1024;

    private readonly IS3Transport _transport;
    private readonly S3SyncOptions _options;
    private readonly RetryRunner _retry;

    public ObjectDownloader(IS3Transport transport, S3SyncOptions options, RetryRunner retry)
    {
        _transport = transport;
        _options = options;
        _retry = retry;
    }

    public Task<SyncedObject> DownloadAsync(ListedObject listed, string relativeKey, string localPath, ProgressTracker progress, CancellationToken cancellationToken) =>
        _retry.RunAsync(listed.Key, token => AttemptAsync(listed, relativeKey, localPath, progress, token), cancellationToken);

    /// <summary>The listed version's body in memory, verified as a download is, and its SHA-256 (for a build that keeps no local copy).</summary>
    public Task<RemoteBytes> FetchAsync(ListedObject listed, CancellationToken cancellationToken) =>
        _retry.RunAsync(listed.Key, async token =>
        {
            using var body = new MemoryStream((int)Math.Min(listed.Size, Array.MaxLength));
            string sha256 = await StreamVerifiedAsync(listed, body, progress: null, token).ConfigureAwait(false);
            return new RemoteBytes(body.Length == body.Capacity ? body.GetBuffer() : body.ToArray(), sha256);
        }, cancellationToken);

    private async Task<SyncedObject> AttemptAsync(ListedObject listed, string relativeKey, string localPath, ProgressTracker progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(localPath)!);
        var tempPath = AtomicFile.TemporaryPathFor(localPath);
        var counter = new CountingProgress(progress);
        try
        {
            string sha256;
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                sha256 = await StreamVerifiedAsync(listed, file, counter, cancellationToken).ConfigureAwait(false);
            }

            File.Move(tempPath, localPath, overwrite: true);
            var written = new FileInfo(localPath);
            return new SyncedObject(listed.Key, relativeKey, localPath, new RemoteObjectRecord(listed.ETag, written.Length, sha256), written.LastWriteTimeUtc, Downloaded: true);
        }
        catch (Exception exception)
        {
            progress.AddBytes(-counter.Counted);
            if (!TryDelete(tempPath, out var cleanupError))
            {
                throw new IOException($"{TransientFaultClassifier.Describe(exception)}; the partial file '{tempPath}' could not be removed: {cleanupError}", exception);
            }

            throw;
        }
    }

    /// <summary>
    /// GETs the listed version into <paramref name="destination"/> while hashing it (SHA-256, and MD5 for single-part
    /// ETags), then checks length and checksum; returns the SHA-256. A failed check throws before the caller uses the bytes.
    /// </summary>
    private async Task<string> StreamVerifiedAsync(ListedObject listed, Stream destination, CountingProgress? progress, CancellationToken cancellationToken)
    {
        long counted = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var response = await _transport.GetObjectAsync(listed, timeout.Token).ConfigureAwait(false);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = ObjectVerifier.IsMultipart(listed.ETag) ? null : IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await ReadBodyAsync(response.Body, buffer, listed.Key, timeout, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                sha.AppendData(buffer, 0, read);
                md5?.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                counted += read;
                progress?.Add(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // A negative Content-Length means the store sent none (chunked); the listing size still applies.
        var contentLength = response.ContentLength >= 0 ? response.ContentLength : counted;
        ObjectVerifier.EnsureIntact(listed.Key, listed.ETag, listed.Size, contentLength, counted, md5 is null ? [] : md5.GetHashAndReset());
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    // Each read gets the full timeout again, so a slow but moving body is fine and a stalled one is abandoned.
    private async Task<int> ReadBodyAsync(Stream body, byte[] buffer, string key, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            return await body.ReadAsync(buffer.AsMemory(0, BufferSize), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransferInterruptedException($"Body of '{key}' stalled for more than {_options.RequestTimeout.TotalSeconds:0.###} s.", exception);
        }
        catch (IOException exception)
        {
            throw new TransferInterruptedException($"Body of '{key}' was interrupted: {exception.Message}", exception);
        }
    }

    private static bool TryDelete(string path, out string? error)
    {
        try
        {
            File.Delete(path);
            error = null;
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error = exception.Message;
            return false;
        }
    }
}
