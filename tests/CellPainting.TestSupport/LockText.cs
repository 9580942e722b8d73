namespace CellPainting.TestSupport;

/// <summary>Lock file texts as tests expect them.</summary>
public static class LockText
{
    /// <summary>A lock with committed manifests as it reads once its manifests are kept in the cache: the same, plus the one key saying so.</summary>
    public static string WithManifestsInCache(string committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        return committed.Replace("\"lock_version\": 1,\n", "\"lock_version\": 1,\n  \"manifests\": \"cache\",\n", StringComparison.Ordinal);
    }
}
