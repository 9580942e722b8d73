namespace CellPainting.Engine.Execution;

public enum OutcomeKind
{
    UpToDate,
    Built,
    WouldBuild,
    Skipped,
    Failed,
}
