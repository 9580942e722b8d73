using System.Globalization;
using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// spora_io tile tables of the tensors under <c>&lt;spora&gt;/&lt;barcode&gt;/tiling/&lt;mpp&gt;mpp/grid_stride&lt;stride&gt;/</c>:
/// per configured tile size <c>&lt;size&gt;_tile_coordinates.parquet</c> (tissue_id = site, tile_id, row, col) and
/// <c>&lt;size&gt;_tile_stats.parquet</c> (the tile's inside fraction and mean per channel over its pixels inside the
/// image). One item per plate whose inputs are the plate's tensors.
/// </summary>
public sealed class TilingStage : IStage
{
    private readonly BuildConfig config;

    public TilingStage(BuildConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        SporaLayoutSettings spora = config.Layout.Spora;
        Parameters = new StageParameters(new Dictionary<string, string>
        {
            ["tile_sizes"] = string.Join(",", spora.TileSizes.Select(size => size.ToString(CultureInfo.InvariantCulture))),
            ["stride"] = spora.TileStride?.ToString(CultureInfo.InvariantCulture) ?? "tile size",
            ["tolerance"] = spora.TileTolerance.ToString("R", CultureInfo.InvariantCulture),
            ["rule"] = "spora_io grid: corners every stride while inside, edge tiles keep their top-left, kept when inside >= 1 - tolerance",
            ["stats"] = "mean per channel over the tile's pixels inside the image",
        });
    }

    public string Name => "tiling";

    public int RecipeVersion => 1;

    public StageParameters Parameters { get; }

    public StageItems Discover()
    {
        var items = new List<WorkItem>();
        var problems = new List<ItemProblem>();
        var skipped = new List<ItemProblem>();
        foreach (TensorPlate plate in TensorPlate.Discover(config, "tile", problems, skipped))
        {
            var outputs = new List<ItemOutput>();
            foreach (int size in config.Layout.Spora.TileSizes.Distinct())
            {
                int stride = config.Layout.Spora.TileStride ?? size;
                string folder = Path.Combine(config.Layout.Spora.Root, plate.Barcode, "tiling", plate.Resolution.FolderName, $"grid_stride{stride}");
                outputs.Add(new ItemOutput($"{size}-coordinates", Path.Combine(folder, $"{size}_tile_coordinates.parquet")));
                outputs.Add(new ItemOutput($"{size}-stats", Path.Combine(folder, $"{size}_tile_stats.parquet")));
            }

            items.Add(new WorkItem(plate.Barcode, plate.Barcode, [.. plate.Sites.Select(site => site.Input), .. plate.ResolutionInputs], outputs));
        }

        return new StageItems(items, problems, skipped);
    }

    public void Build(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        ItemInput[] tensors = [.. item.Inputs.Where(input => input.Name != PlateResolution.IndexInput)];
        int[] sizes = [.. config.Layout.Spora.TileSizes.Distinct()];
        int imageSize = config.Tensors.Size;
        var tiles = sizes.ToDictionary(size => size, size => GridTiling.Tiles(imageSize, size, config.Layout.Spora.TileStride ?? size, config.Layout.Spora.TileTolerance));
        var rows = sizes.ToDictionary(size => size, _ => new List<(string Site, GridTile Tile, double[] Means)>());
        int index = 0;
        TensorChannels.ForEach(tensors, context, channels =>
        {
            string site = Path.GetFileNameWithoutExtension(tensors[index++].Name);
            int side = (int)Math.Sqrt(channels[0].Length);
            if (side != imageSize)
            {
                throw new InvalidDataException($"{tensors[index - 1].Path}: a {side}x{side} tensor; tensors.size is {imageSize}");
            }

            foreach (int size in sizes)
            {
                rows[size].AddRange(tiles[size].Select(tile => (site, tile, channels.Select(channel => MeanInside(channel, imageSize, tile, size)).ToArray())));
            }
        });

        foreach (int size in sizes)
        {
            List<(string Site, GridTile Tile, double[] Means)> table = rows[size];
            byte[] coordinates = Describe(new ParquetTable(table.Count)
                    .Strings("tissue_id", [.. table.Select(row => row.Site)])
                    .Int32s("tile_id", [.. table.Select(row => row.Tile.Id)])
                    .Int32s("row", [.. table.Select(row => row.Tile.Row)])
                    .Int32s("col", [.. table.Select(row => row.Tile.Col)]), size)
                .ToBytes();
            ParquetTable stats = new ParquetTable(table.Count)
                .Strings("tissue_id", [.. table.Select(row => row.Site)])
                .Int32s("tile_id", [.. table.Select(row => row.Tile.Id)])
                .Float64s("inside_fraction", [.. table.Select(row => row.Tile.InsideFraction)]);
            for (int channel = 0; channel < Features.SiteTensor.Channels; channel++)
            {
                stats.Float64s($"mean_ch{channel + 1}", [.. table.Select(row => row.Means[channel])]);
            }

            byte[] statBytes = Describe(stats, size).ToBytes();
            context.WriteOutput($"{size}-coordinates", stream => stream.Write(coordinates));
            context.WriteOutput($"{size}-stats", stream => stream.Write(statBytes));
        }
    }

    private ParquetTable Describe(ParquetTable table, int size) =>
        table.Describe("spora_io.tile_size", size.ToString(CultureInfo.InvariantCulture))
            .Describe("spora_io.stride", (config.Layout.Spora.TileStride ?? size).ToString(CultureInfo.InvariantCulture))
            .Describe("spora_io.tolerance", config.Layout.Spora.TileTolerance.ToString("R", CultureInfo.InvariantCulture))
            .Describe("cellpainting.image_size", config.Tensors.Size.ToString(CultureInfo.InvariantCulture));

    private static double MeanInside(float[] channel, int imageSize, GridTile tile, int size)
    {
        int rowEnd = Math.Min(imageSize, tile.Row + size);
        int colEnd = Math.Min(imageSize, tile.Col + size);
        double sum = 0;
        for (int row = tile.Row; row < rowEnd; row++)
        {
            for (int col = tile.Col; col < colEnd; col++)
            {
                sum += channel[(row * imageSize) + col];
            }
        }

        return sum / ((long)(rowEnd - tile.Row) * (colEnd - tile.Col));
    }
}
