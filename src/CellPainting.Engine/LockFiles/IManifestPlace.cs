namespace CellPainting.Engine.LockFiles;

/// <summary>
/// One place a lock's manifests may be found (a <c>.d</c> folder, a git revision, local state, the shared cache).
/// Asked for several at once, since git answers a batch in one process. A place says what it holds; checking the
/// bytes against the digest is the <see cref="ManifestChain"/>'s job.
/// </summary>
public interface IManifestPlace
{
    /// <summary>Where this place keeps the requested manifest, as messages show it.</summary>
    string NameOf(ManifestRequest request);

    /// <summary>
    /// The bytes this place holds for each request, in order; null where it has none. Throws
    /// <see cref="Caching.CacheUnavailableException"/> when the place cannot answer at all.
    /// </summary>
    IReadOnlyList<byte[]?> Read(IReadOnlyList<ManifestRequest> requests);
}
