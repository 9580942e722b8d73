namespace CellPainting.Engine.Items;

/// <summary>
/// Where an input's bytes can be had when the file is not on this machine (an object in a bucket), and the digest a
/// previous fetch recorded for it. An item whose inputs are all known by digest is checked, fingerprinted and looked up
/// in the shared cache without fetching anything; only an item built here fetches its remote inputs.
/// Implementations are called from several worker threads at once.
/// </summary>
public interface IRemoteInput
{
    /// <summary>Where the bytes are, for messages (<c>s3://bucket/key</c>); never carries credentials.</summary>
    string Location { get; }

    /// <summary>The size the source lists for the object.</summary>
    long Size { get; }

    /// <summary>The SHA-256 recorded for exactly this version of the object, or null when it is learnt only by fetching it.</summary>
    string? Sha256 { get; }

    /// <summary>
    /// True to keep a fetched copy at the input's path (it is then an ordinary local file for the next run); false to
    /// use the bytes in memory only.
    /// </summary>
    bool KeepLocal { get; }

    /// <summary>Fetches the object's bytes and their SHA-256; throws when the source cannot deliver exactly the listed version.</summary>
    Task<RemoteBytes> FetchAsync(CancellationToken cancellationToken);
}
