namespace CellPainting.Engine.LockFiles;

/// <summary>A lock's manifest folder on disk (<c>data.lock.d/&lt;target&gt;/&lt;group&gt;.tsv</c> beside <c>data.lock.json</c>).</summary>
internal sealed class ManifestFolder : IManifestPlace
{
    private readonly string lockFileName;
    private readonly string directory;
    private readonly string shownDirectory;

    /// <param name="lockPath">The lock file the folder sits beside.</param>
    /// <param name="shownLock">How messages name that lock file; its manifests are named beside it.</param>
    public ManifestFolder(string lockPath, string shownLock)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockPath);
        ArgumentException.ThrowIfNullOrEmpty(shownLock);
        string fullPath = Path.GetFullPath(lockPath);
        lockFileName = Path.GetFileName(fullPath);
        directory = Path.GetDirectoryName(fullPath)!;
        int slash = shownLock.LastIndexOf('/');
        shownDirectory = slash < 0 ? string.Empty : shownLock[..(slash + 1)];
    }

    public string NameOf(ManifestRequest request) => shownDirectory + RelativePath(request);

    public IReadOnlyList<byte[]?> Read(IReadOnlyList<ManifestRequest> requests) =>
        requests.Select(request => Path.Combine(directory, RelativePath(request)))
            .Select(path => File.Exists(path) ? File.ReadAllBytes(path) : null)
            .ToArray();

    private string RelativePath(ManifestRequest request) => LockStore.ManifestRelativePath(lockFileName, request.Key.Target, request.Key.Group);
}
