using CellPainting.Engine.LockFiles;

namespace CellPainting.Stages.Configuration;

/// <summary>
/// How the build runs: items at once, where the lock goes and where its manifests are kept (committed beside it, or
/// in the shared cache), and whether incomplete sites fail the run.
/// </summary>
public sealed record BuildSettings(int Parallelism, string LockPath, bool IncompleteSitesFail, ManifestMode Manifests);
