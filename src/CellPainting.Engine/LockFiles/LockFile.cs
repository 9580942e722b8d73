namespace CellPainting.Engine.LockFiles;

/// <summary>
/// The committed provenance of a data build: one section per target, and where the group manifests are kept
/// (so a reader without the config still knows to look in the cache).
/// </summary>
public sealed record LockFile(IReadOnlyDictionary<string, TargetLock> Targets, ManifestMode Manifests = ManifestMode.Commit)
{
    public const int FormatVersion = 1;

    public static LockFile Empty { get; } = new(new SortedDictionary<string, TargetLock>(StringComparer.Ordinal));

    public LockFile WithTarget(string name, TargetLock target)
    {
        var targets = new SortedDictionary<string, TargetLock>(Targets.ToDictionary(), StringComparer.Ordinal) { [name] = target };
        return this with { Targets = targets };
    }
}
