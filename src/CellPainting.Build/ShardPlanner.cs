using CellPainting.Engine.IO;
using CellPainting.Engine.Sharding;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;

namespace CellPainting.Build;

/// <summary>
/// The ShardPlan target: the partition <c>--shard=K/N</c> builds, made from the plates' site counts (images where
/// they are here, estimates otherwise), as a table and as the matrix JSON a GitHub Actions job reads. Reads images
/// and metadata only: no run lock, no state, no lock.
/// </summary>
public static class ShardPlanner
{
    public static ShardPartition Plan(BuildOptions options, int shards, string? outPath, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (shards < 1)
        {
            throw new ShardSpecException($"--shards: expected a whole number of at least 1, found {shards}.");
        }

        TextWriter writer = output ?? Console.Out;
        BuildConfig config = ConfigLoader.Load(options.ConfigPath, options.Root);
        IReadOnlyList<PlateSize> sizes = PlateSizes.Of(config, new SiteCatalog(config));
        ShardPartition partition = ShardPartition.Of(sizes.Select(size => new GroupSize(size.Barcode, size.Sites)), shards);
        byte[] plan = ShardPlanFile.Serialize(partition);
        writer.Write(ShardPlanFile.Table(partition, sizes));
        if (outPath is null)
        {
            writer.Write($"matrix: {System.Text.Encoding.UTF8.GetString(plan)}");
        }
        else
        {
            AtomicFile.WriteAllBytes(Path.GetFullPath(outPath, options.Root), plan);
            writer.WriteLine($"matrix: written to {outPath}");
        }

        return partition;
    }
}
