using CellPainting.Engine.LockFiles;

namespace CellPainting.Stages.Configuration;

/// <summary>
/// What reviewing a lock needs of a config, and no more: where the lock is, where its manifests are kept, and the
/// local state and shared cache to look in when they are not committed.
/// </summary>
public sealed record LockSettings(string LockPath, ManifestMode Manifests, string State, CacheSettings Cache, FetchSettings Fetch);
