namespace CellPainting.Stages.Download;

/// <summary>
/// One remote prefix mirrored into one local folder (a plate's <c>Images/</c>, a platemap batch, the external
/// metadata). Each unit gets its own summary in the <see cref="SyncReport"/>, the grain a lock file pins.
/// </summary>
public sealed class SyncUnit
{
    /// <param name="name">Unique label for reports (e.g. the plate directory).</param>
    /// <param name="remotePrefix">Key prefix inside the bucket, ending in '/', e.g. <c>cpg0000-jump-pilot/source_4/workspace/metadata/external_metadata/</c>.</param>
    /// <param name="localDirectory">Folder that receives the keys below the prefix, relative paths preserved.</param>
    /// <param name="include">Predicate on the key relative to the prefix; null takes every object.</param>
    public SyncUnit(string name, string remotePrefix, string localDirectory, Func<string, bool>? include = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(remotePrefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(localDirectory);

        // A prefix without the trailing slash would also match sibling folders (BATCH vs BATCH_DL).
        if (!remotePrefix.EndsWith('/') || remotePrefix.StartsWith('/'))
        {
            throw new ArgumentException($"Remote prefix '{remotePrefix}' must be relative to the bucket and end with '/'.", nameof(remotePrefix));
        }

        Name = name;
        RemotePrefix = remotePrefix;
        LocalDirectory = Path.GetFullPath(localDirectory);
        Include = include ?? (static _ => true);
    }

    /// <summary>Label used in reports and failures.</summary>
    public string Name { get; }

    /// <summary>Key prefix inside the bucket, always ending in '/'.</summary>
    public string RemotePrefix { get; }

    /// <summary>Absolute local folder the prefix is mirrored into.</summary>
    public string LocalDirectory { get; }

    /// <summary>Predicate on the key relative to <see cref="RemotePrefix"/>.</summary>
    public Func<string, bool> Include { get; }

    /// <summary>Which listed objects a sync fetches (a mirror by default); records carry over the digests of unchanged objects.</summary>
    public FetchPolicy Fetch { get; init; }
}
