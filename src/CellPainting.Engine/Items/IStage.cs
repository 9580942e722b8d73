namespace CellPainting.Engine.Items;

/// <summary>
/// A step that turns input files into output files, item by item. The engine decides which items are stale;
/// the stage only lists its items and builds one when asked.
/// </summary>
public interface IStage
{
    /// <summary>Short, stable name: a key in the lock and in the state directory.</summary>
    string Name { get; }

    /// <summary>Bumped whenever the stage's code changes what it writes, so every item is rebuilt.</summary>
    int RecipeVersion { get; }

    StageParameters Parameters { get; }

    /// <summary>Lists the items this stage should produce, and the ones it found but cannot build.</summary>
    StageItems Discover();

    /// <summary>
    /// The same items, problems and skipped items as <see cref="Discover"/>, in parts (a plate's sites, say) listed
    /// while the run goes: a run checks a part's items and lets them go before the next, so it holds one part's paths
    /// at a time rather than those of a whole batch. One part unless a stage says otherwise.
    /// </summary>
    IEnumerable<StageItems> DiscoverParts() => [Discover()];

    /// <summary>Builds one item; writes its outputs only through <paramref name="context"/>.</summary>
    void Build(WorkItem item, IBuildContext context);
}
