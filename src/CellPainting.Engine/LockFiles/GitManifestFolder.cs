namespace CellPainting.Engine.LockFiles;

/// <summary>A lock's manifest folder as committed at a git revision, read in one <c>git cat-file --batch</c> per lookup.</summary>
internal sealed class GitManifestFolder : IManifestPlace
{
    private readonly Git git;
    private readonly string revision;
    private readonly string commit;
    private readonly string prefix;
    private readonly string lockFileName;

    /// <param name="prefix">The lock's folder inside the repository, as git spells it ("" at the top, "sub/" below it).</param>
    public GitManifestFolder(Git git, string revision, string commit, string prefix, string lockFileName)
    {
        this.git = git;
        this.revision = revision;
        this.commit = commit;
        this.prefix = prefix;
        this.lockFileName = lockFileName;
    }

    public string NameOf(ManifestRequest request) => $"{revision}:{PathOf(request)}";

    public IReadOnlyList<byte[]?> Read(IReadOnlyList<ManifestRequest> requests) =>
        git.ReadBlobs(commit, requests.Select(PathOf).ToArray());

    private string PathOf(ManifestRequest request) => prefix + LockStore.ManifestRelativePath(lockFileName, request.Key.Target, request.Key.Group);
}
