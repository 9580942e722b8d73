namespace CellPainting.Engine.Locking;

/// <summary>Another build holds the data root's run lock.</summary>
public sealed class RunLockedException : Exception
{
    public RunLockedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
