namespace CellPainting.Stages.Configuration;

/// <summary>How the build runs: items at once, where the lock goes, and whether incomplete sites fail the run.</summary>
public sealed record BuildSettings(int Parallelism, string LockPath, bool IncompleteSitesFail);
