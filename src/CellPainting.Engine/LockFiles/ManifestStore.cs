using System.Text.RegularExpressions;
using CellPainting.Engine.Caching;
using CellPainting.Engine.IO;
using CellPainting.Engine.State;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// Manifests kept out of git: a copy of each in local state under its SHA-256 (<c>&lt;2 hex&gt;/&lt;sha256&gt;</c>), and in
/// the shared cache as a blob. A manifest is kept locally first and marked pending (<c>pending/&lt;sha256&gt;</c>); a
/// read-write run uploads every pending one and clears its mark. Read mode and an unreachable cache leave the marks,
/// so no manifest is lost: the next read-write run uploads them. As a place to look it is the local copy; the cache
/// is <see cref="Places"/>' second.
/// </summary>
public sealed partial class ManifestStore : IManifestPlace
{
    private const string PendingFolderName = "pending";

    private readonly string folder;
    private readonly ICacheStore? cache;
    private readonly CacheMode mode;
    private readonly List<string> notes = [];
    private bool warned;

    /// <param name="folder">The manifests' folder in local state.</param>
    /// <param name="cache">The shared cache, or null when none is configured: manifests then stay local.</param>
    public ManifestStore(string folder, ICacheStore? cache, CacheMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        this.folder = Path.GetFullPath(folder);
        this.cache = cache;
        this.mode = mode;
    }

    /// <summary>Where to look beyond a lock's committed manifests: this local copy, then the cache if there is one.</summary>
    public IReadOnlyList<IManifestPlace> Places => cache is null ? [this] : [this, new CachedManifests(cache)];

    public string PendingFolder => Path.Combine(folder, PendingFolderName);

    public string PathOf(string sha256) => Path.Combine(folder, sha256[..2], sha256);

    public string NameOf(ManifestRequest request) => $"local state {PathOf(request.Sha256)}";

    public IReadOnlyList<byte[]?> Read(IReadOnlyList<ManifestRequest> requests) =>
        requests.Select(request => PathOf(request.Sha256)).Select(path => File.Exists(path) ? File.ReadAllBytes(path) : null).ToArray();

    /// <summary>
    /// Keeps a manifest in local state, pending upload, unless an intact copy is there already (then it is pending
    /// or uploaded): a no-op run writes nothing and asks the cache nothing.
    /// </summary>
    public void Keep(byte[] manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        string sha256 = ContentHash.Of(manifest);
        string path = PathOf(sha256);
        if (File.Exists(path) && ContentHash.Of(File.ReadAllBytes(path)) == sha256)
        {
            return;
        }

        // The mark first: a local copy without a mark then always means "uploaded", even after a crash between the two.
        AtomicFile.WriteAllBytes(Path.Combine(PendingFolder, sha256), []);
        AtomicFile.WriteAllBytes(path, manifest);
    }

    /// <summary>
    /// In read-write mode, puts every pending manifest the cache lacks and clears its mark; called before the lock
    /// naming them is written. Never fails: a cache that cannot answer is noted once and the marks stay.
    /// </summary>
    public void UploadPending()
    {
        if (cache is null || mode != CacheMode.ReadWrite || warned || !Directory.Exists(PendingFolder))
        {
            return;
        }

        string[] pending = Directory.EnumerateFiles(PendingFolder).Select(Path.GetFileName).OfType<string>()
            .Where(name => Sha256Name().IsMatch(name)).Order(StringComparer.Ordinal).ToArray();
        for (int index = 0; index < pending.Length; index++)
        {
            string sha256 = pending[index];
            string path = PathOf(sha256);
            byte[]? manifest = File.Exists(path) ? File.ReadAllBytes(path) : null;
            if (manifest is null || ContentHash.Of(manifest) != sha256)
            {
                notes.Add($"lock manifests: {path} is {(manifest is null ? "missing" : "damaged")}; not uploaded (a build that records its group writes it again)");
                continue;
            }

            string key = ItemCache.BlobKey(sha256);
            try
            {
                if (!cache.Exists(key))
                {
                    cache.Put(key, manifest);
                }
            }
            catch (CacheUnavailableException exception)
            {
                warned = true;
                notes.Add($"warning: cache {cache.Location} is unreachable ({exception.Message}); {pending.Length - index} lock manifest(s) stay pending in {PendingFolder} for the next read-write run");
                return;
            }

            File.Delete(Path.Combine(PendingFolder, sha256));
        }
    }

    /// <summary>The warnings met since the last call, in order (one line each).</summary>
    public IReadOnlyList<string> TakeNotes()
    {
        string[] taken = [.. notes];
        notes.Clear();
        return taken;
    }

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Name();
}
