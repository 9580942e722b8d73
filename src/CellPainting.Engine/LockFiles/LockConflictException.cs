namespace CellPainting.Engine.LockFiles;

/// <summary>Locks that cannot be merged: the message lists every conflicting target, parameter and group.</summary>
public sealed class LockConflictException : Exception
{
    public LockConflictException(IReadOnlyList<string> conflicts)
        : base($"the locks cannot be merged:\n  {string.Join("\n  ", conflicts)}")
    {
        Conflicts = conflicts;
    }

    public IReadOnlyList<string> Conflicts { get; }
}
