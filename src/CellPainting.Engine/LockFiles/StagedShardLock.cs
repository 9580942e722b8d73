namespace CellPainting.Engine.LockFiles;

/// <summary>
/// A shard's lock while its task runs (see <see cref="ShardLockFolder.Begin"/>): targets record into
/// <see cref="Store"/>, in a temporary folder; <see cref="Publish"/> renames that folder over the shard's lock.
/// </summary>
public sealed class StagedShardLock
{
    private readonly string staging;
    private readonly string published;

    internal StagedShardLock(LockStore store, string staging, string published)
    {
        Store = store;
        this.staging = staging;
        this.published = published;
    }

    public LockStore Store { get; }

    /// <summary>
    /// Replaces the published lock with this one: the old folder is renamed aside and the new one renamed in (each a
    /// single rename), so a reader sees the old lock, none, or the new one.
    /// </summary>
    public void Publish()
    {
        string? aside = null;
        if (Directory.Exists(published))
        {
            aside = IO.AtomicFile.TemporaryPathFor(published);
            Directory.Move(published, aside);
        }

        Directory.Move(staging, published);
        if (aside is not null)
        {
            Directory.Delete(aside, recursive: true);
        }
    }
}
