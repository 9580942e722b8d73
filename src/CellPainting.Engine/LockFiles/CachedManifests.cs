using CellPainting.Engine.Caching;

namespace CellPainting.Engine.LockFiles;

/// <summary>Manifests as blobs of the shared cache, under their SHA-256 like any output (<c>cas/&lt;2 hex&gt;/&lt;sha256&gt;</c>).</summary>
internal sealed class CachedManifests : IManifestPlace
{
    private readonly ICacheStore store;

    public CachedManifests(ICacheStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
    }

    private static string KeyOf(ManifestRequest request) => ItemCache.BlobKey(request.Sha256);

    public string NameOf(ManifestRequest request) => $"cache {store.Location.TrimEnd('/')}/{KeyOf(request)}";

    public IReadOnlyList<byte[]?> Read(IReadOnlyList<ManifestRequest> requests) => requests.Select(request => store.TryGet(KeyOf(request))).ToArray();
}
