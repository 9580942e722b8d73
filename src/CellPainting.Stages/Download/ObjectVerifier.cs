namespace CellPainting.Stages.Download;

/// <summary>
/// ETag handling and body verification. A single-part ETag is the MD5 of the body (unencrypted or SSE-S3 objects,
/// which the gallery serves); a multipart ETag (<c>md5-of-part-md5s-N</c>) cannot be recomputed without the
/// unknown part size, so such objects are checked by size and the ETag is kept only as a version marker.
/// </summary>
public static class ObjectVerifier
{
    /// <summary>Strips the quotes S3 puts around ETags in XML and headers.</summary>
    public static string NormalizeETag(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        return etag.Trim().Trim('"');
    }

    /// <summary>True for multipart ETags, which carry a '-N' part-count suffix.</summary>
    public static bool IsMultipart(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        return etag.Contains('-');
    }

    /// <summary>
    /// Throws <see cref="ObjectIntegrityException"/> unless the body is complete and, for a single-part ETag,
    /// its MD5 equals the ETag.
    /// </summary>
    /// <param name="key">Object key, for the message.</param>
    /// <param name="etag">Normalised ETag from the listing.</param>
    /// <param name="expectedSize">Size from the listing.</param>
    /// <param name="contentLength">Content-Length of the response.</param>
    /// <param name="receivedBytes">Bytes actually read.</param>
    /// <param name="md5">MD5 of the bytes read; ignored for multipart ETags.</param>
    public static void EnsureIntact(string key, string etag, long expectedSize, long contentLength, long receivedBytes, ReadOnlySpan<byte> md5)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(etag);

        if (receivedBytes != contentLength)
        {
            throw new ObjectIntegrityException($"Truncated body for '{key}': received {receivedBytes} of {contentLength} bytes.");
        }

        if (receivedBytes != expectedSize)
        {
            throw new ObjectIntegrityException($"Size mismatch for '{key}': received {receivedBytes} bytes, the listing says {expectedSize}.");
        }

        if (IsMultipart(etag))
        {
            return;
        }

        var actual = Convert.ToHexStringLower(md5);
        if (!string.Equals(actual, etag, StringComparison.OrdinalIgnoreCase))
        {
            throw new ObjectIntegrityException($"MD5 mismatch for '{key}': body MD5 {actual}, ETag {etag}.");
        }
    }
}
