namespace CellPainting.Stages.Download;

/// <summary>
/// A downloaded body does not match what S3 announced (short body, wrong size, MD5 ≠ ETag). Treated as transient:
/// the next attempt usually gets a clean copy, and the partial file is never kept.
/// </summary>
public sealed class ObjectIntegrityException : Exception
{
    /// <summary>Creates the exception with a message that names the key and the mismatch.</summary>
    public ObjectIntegrityException(string message)
        : base(message)
    {
    }
}
