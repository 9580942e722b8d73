using CellPainting.Engine.Items;
using CellPainting.Engine.State;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Features;
using CellPainting.Stages.Layouts;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Sites;
using CellPainting.Stages.Splits;
using CellPainting.Stages.Tensors;

namespace CellPainting.Build;

/// <summary>
/// The item stages of the main job, in build order, for the commands that look at all of them at once (Verify,
/// Clean, LockRegenerate). Creating them loads no model: the features stage opens it only to build.
/// </summary>
internal sealed class ItemStages : IDisposable
{
    public ItemStages(BuildConfig config, SiteCatalog catalog, StatCache statCache)
    {
        Features = new FeatureStage(config, catalog, FeatureModelDigest.Of(config, statCache));
        All = [new TensorStage(config, catalog), Features, new MetadataStage(config), new SplitsStage(config, catalog), new WellIndexStage(config, (Features.Name, Features.OutputDirectory))];
        Layouts = [new ProfilesStage(config, Features.OutputDirectory, Features.VariantName), new StandardizationStage(config), new TilingStage(config)];
    }

    public IReadOnlyList<IStage> All { get; }

    /// <summary>The extra trees' stages (not in the main job): looked at only where the lock records them.</summary>
    public IReadOnlyList<IStage> Layouts { get; }

    public FeatureStage Features { get; }

    public void Dispose() => Features.Dispose();
}
