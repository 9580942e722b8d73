namespace CellPainting.Engine.Execution;

public enum OutcomeKind
{
    UpToDate,
    Built,

    /// <summary>Stale here, and placed from the shared cache instead of being built.</summary>
    Fetched,
    WouldBuild,

    /// <summary>Stale here, and an entry for it is in the shared cache (explain).</summary>
    WouldFetch,
    Skipped,
    Failed,
}
