namespace CellPainting.Engine.LockFiles;

/// <summary>
/// Where a lock's group manifests live: committed beside it in its <c>.d</c> folder, or as blobs named by their
/// digest in local state and the shared cache (only the lock file is committed).
/// </summary>
public enum ManifestMode
{
    Commit,
    Cache,
}
