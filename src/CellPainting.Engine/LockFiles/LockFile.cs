namespace CellPainting.Engine.LockFiles;

/// <summary>The committed provenance of a data build: one section per target.</summary>
public sealed record LockFile(IReadOnlyDictionary<string, TargetLock> Targets)
{
    public const int FormatVersion = 1;

    public static LockFile Empty { get; } = new(new SortedDictionary<string, TargetLock>(StringComparer.Ordinal));

    public LockFile WithTarget(string name, TargetLock target)
    {
        var targets = new SortedDictionary<string, TargetLock>(Targets.ToDictionary(), StringComparer.Ordinal) { [name] = target };
        return new LockFile(targets);
    }
}
