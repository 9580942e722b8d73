using CellPainting.Engine.Items;
using CellPainting.Engine.Sharding;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Sites;

namespace CellPainting.Build;

/// <summary>
/// The site count of each configured plate for a shard plan: the complete sites its images hold (what the per-item
/// stages list, so a sharded build computes the same partition), or, for a plate whose images are not here yet, an
/// estimate: the sample's wells × sites for a sample config, else the platemap's wells × CPJUMP1's 9 fields per
/// well, or a full 384-well plate when the platemap is not here either.
/// </summary>
internal static class PlateSizes
{
    /// <summary>CPJUMP1 images 9 fields (sites) in each well.</summary>
    public const int FieldsPerWell = 9;

    public const int WellsPerPlate = 384;

    public static IReadOnlyList<PlateSize> Of(BuildConfig config, SiteCatalog catalog)
    {
        IReadOnlyDictionary<string, int>? wells = null;
        const int fields = FieldsPerWell;
        var sizes = new List<PlateSize>();
        foreach (PlateScan plate in catalog.Plates)
        {
            if (plate.Error is null)
            {
                sizes.Add(new PlateSize(plate.Barcode, plate.Sites.Count, "images"));
                continue;
            }

            if (config.Sample is { } sample)
            {
                sizes.Add(new PlateSize(plate.Barcode, sample.Wells.Count * sample.Sites, $"sample: {sample.Wells.Count} wells × {sample.Sites} sites"));
                continue;
            }

            wells ??= PlatemapWells(config);
            sizes.Add(wells.TryGetValue(plate.Barcode, out int count)
                ? new PlateSize(plate.Barcode, count * fields, $"platemap: {count} wells × {fields} fields")
                : new PlateSize(plate.Barcode, WellsPerPlate * fields, $"nominal: {WellsPerPlate} wells × {fields} fields"));
        }

        return sizes;
    }

    /// <summary>The partition of a per-item stage's plan, refusing plates whose images are missing: sizes must not depend on which shard looks.</summary>
    public static ShardPartition PartitionOfPlan(StageItems plan, int shards)
    {
        string[] unscanned = plan.Problems.Where(problem => problem.ItemId == problem.Group).Select(problem => problem.Group).ToArray();
        if (unscanned.Length > 0)
        {
            throw new ShardSpecException(
                $"--shard without --shard-plan needs every plate's images to size the partition, and {string.Join(", ", unscanned)} has none here yet; "
                + "make a plan first (--target=ShardPlan --shards=N --out=shard-plan.json) and pass --shard-plan=shard-plan.json to every shard.");
        }

        return ShardPartition.Of(ShardedStage.SizesOf(plan), shards);
    }

    /// <summary>Wells per barcode in the configured platemaps (the metadata cache's records); empty when they are not here.</summary>
    private static Dictionary<string, int> PlatemapWells(BuildConfig config) =>
        MetadataLoader.Load(MetadataInputs.Discover(config.Local.Metadata, config.Batch), config.Plates.Select(plate => plate.Barcode))
            .Cache.Records.GroupBy(record => record.Key.Barcode, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
}
