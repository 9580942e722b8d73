namespace CellPainting.Engine.LockFiles;

/// <summary>One target's section of the lock: its recipe, parameters, and groups (sorted by name).</summary>
public sealed record TargetLock(
    int RecipeVersion,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, GroupLock> Groups)
{
    public int Items => Groups.Values.Sum(group => group.Items);
}
