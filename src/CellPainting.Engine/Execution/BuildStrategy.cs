using CellPainting.Engine.Caching;
using CellPainting.Engine.IO;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Execution;

/// <summary>
/// Builds each stale item, journalling its start and its completion so a killed run can resume. Items of a batch
/// stage are prepared on the calling worker and queued for their batch; their outcomes arrive from <see cref="Complete"/>.
/// With a shared cache, an item whose entry is there is fetched instead, and recorded exactly as if built; items
/// built here are uploaded in read-write mode.
/// </summary>
public sealed class BuildStrategy : IExecutionStrategy
{
    private readonly BuildLog log;
    private readonly StatCache statCache;
    private readonly Lock gate = new();
    private readonly Action<ItemOutcome> deferredFinished;
    private readonly ItemCache? cache;
    private BatchQueue? batches;

    /// <param name="deferredFinished">Told of each batched item as its batch finishes (for progress).</param>
    /// <param name="cache">The shared cache to fetch from (and upload to), or null to build everything here.</param>
    public BuildStrategy(BuildLog log, StatCache statCache, Action<ItemOutcome>? deferredFinished = null, ItemCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(statCache);
        this.log = log;
        this.statCache = statCache;
        this.deferredFinished = deferredFinished ?? (_ => { });
        this.cache = cache;
    }

    public bool IsDryRun => false;

    /// <summary>
    /// Removes the temporary files a run killed mid-write left beside the items' outputs; the run lock makes this
    /// run the only writer of those paths now.
    /// </summary>
    public void Begin(IReadOnlyList<WorkItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        AtomicFile.RemoveLeftovers(items.SelectMany(item => item.Outputs).Select(output => output.Path));
    }

    public ItemOutcome? Execute(StaleItem stale, ItemScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(stale);
        ArgumentNullException.ThrowIfNull(scratch);
        // Its fingerprint (and so its cache entry) is known only once every input's digest is.
        stale = stale.WithInputsFetched();
        log.Begin(stale.Item.Id, stale.Item.Group);
        var context = new ItemBuildContext(stale.Item, stale.Inputs, statCache, scratch);
        if (cache?.TryFetch(stale, context) is long fetched)
        {
            Record(stale, context);
            return new ItemOutcome(stale.Item.Id, stale.Item.Group, OutcomeKind.Fetched, stale.Staleness, string.Empty, fetched);
        }

        if (stale.Stage is IBatchStage batchStage)
        {
            object payload = batchStage.Prepare(stale.Item, context);
            QueueFor(batchStage).Add(stale, new PreparedItem(stale.Item, context, payload));
            return null;
        }

        stale.Stage.Build(stale.Item, context);
        return Completed(stale, context);
    }

    public void Confirm(WorkItem item, ResolvedInputs inputs, BuildRecord previous)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(previous);
        if (inputs.Stamps is not { } inputStamps)
        {
            return; // an input fetched into memory has no stamp: the stat cache keeps vouching for the outputs
        }

        var outputs = new FileStamp[item.Outputs.Count];
        for (int index = 0; index < outputs.Length; index++)
        {
            // The dirty check hashed the output at some stamp; one that moved since is left for the next run to check.
            string path = item.Outputs[index].Path;
            if (FileStatReader.TryRead(path) is not { } stamp || !statCache.TryGetHash(path, stamp, out string hash)
                || hash != previous.Outputs.FirstOrDefault(output => output.Name == item.Outputs[index].Name).Hash)
            {
                return;
            }

            outputs[index] = stamp;
        }

        ulong stamps = ItemStamps.Of(item, inputStamps, outputs);
        if (previous.Stamps != stamps)
        {
            log.Complete(previous with { Inputs = inputs.Hashes, Stamps = stamps });
        }

        Release(item);
    }

    public IReadOnlyList<ItemOutcome> Complete() => batches?.Complete() ?? [];

    internal ItemOutcome Completed(StaleItem stale, ItemBuildContext context)
    {
        IReadOnlyList<HashedName> outputs = Record(stale, context);
        cache?.Store(stale, outputs);
        return new ItemOutcome(stale.Item.Id, stale.Item.Group, OutcomeKind.Built, stale.Staleness, string.Empty);
    }

    /// <summary>Journals the item as complete with the outputs its context wrote, and returns them.</summary>
    private IReadOnlyList<HashedName> Record(StaleItem stale, ItemBuildContext context)
    {
        IReadOnlyList<HashedName> outputs = context.WrittenOutputs();
        IReadOnlyList<FileStamp>? inputStamps = stale.Inputs.Stamps;
        log.Describe(stale.Stage.Parameters);
        log.Complete(new BuildRecord(
            stale.Item.Id,
            stale.Item.Group,
            stale.KnownFingerprint,
            stale.Stage.RecipeVersion,
            stale.Stage.Parameters.Digest,
            stale.Inputs.Hashes,
            outputs)
        {
            Stamps = inputStamps is null ? null : ItemStamps.Of(stale.Item, inputStamps, context.WrittenStamps()),
        });
        if (inputStamps is not null)
        {
            Release(stale.Item);
        }

        return outputs;
    }

    /// <summary>
    /// The record vouches for the item's files by stamp now: the stat cache need not keep their hashes. A record without
    /// stamps (an input fetched into memory) keeps them there, so its outputs are checked by stamp, never re-read.
    /// </summary>
    private void Release(WorkItem item)
    {
        foreach (ItemInput input in item.Inputs)
        {
            statCache.Release(input.Path);
        }

        foreach (ItemOutput output in item.Outputs)
        {
            statCache.Release(output.Path);
        }
    }

    private BatchQueue QueueFor(IBatchStage stage)
    {
        lock (gate)
        {
            return batches ??= new BatchQueue(stage, this, deferredFinished);
        }
    }
}
