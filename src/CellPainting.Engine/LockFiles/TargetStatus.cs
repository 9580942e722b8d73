namespace CellPainting.Engine.LockFiles;

/// <summary>How a target's section differs between two locks.</summary>
public enum TargetStatus
{
    Unchanged,
    Added,
    Removed,
    Changed,
}
