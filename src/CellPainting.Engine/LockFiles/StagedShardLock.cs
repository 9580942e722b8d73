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
    /// Publishes this lock with one rename. A published lock is there only if another writer ignored the run lock;
    /// it is renamed aside first, so a reader still never sees part of one.
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
