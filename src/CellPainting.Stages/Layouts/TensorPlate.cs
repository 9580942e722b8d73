using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;

namespace CellPainting.Stages.Layouts;

/// <summary>A plate as the spora_io targets see it: its tensor files, its resolution, and the input that resolution came from (none when configured).</summary>
public sealed record TensorPlate(string Barcode, IReadOnlyList<(SiteKey Key, ItemInput Input)> Sites, Resolution Resolution, IReadOnlyList<ItemInput> ResolutionInputs)
{
    /// <summary>The plates with tensors and a known resolution; a plate without tensors is skipped, one without a resolution fails.</summary>
    public static IReadOnlyList<TensorPlate> Discover(BuildConfig config, string purpose, ICollection<ItemProblem> problems, ICollection<ItemProblem> skipped)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(skipped);
        var plates = new List<TensorPlate>();
        foreach ((string barcode, IReadOnlyList<(SiteKey Key, ItemInput Input)>? sites, string? missing) in PlateSiteFiles.In(config, config.Local.Tensors, "tensors"))
        {
            if (sites is null)
            {
                skipped.Add(new ItemProblem(barcode, barcode, $"{missing}: the plate has no tensors to {purpose}"));
                continue;
            }

            (Resolution resolution, ItemInput? index, string? problem) = PlateResolution.Of(config, barcode);
            if (problem is not null)
            {
                problems.Add(new ItemProblem(barcode, barcode, problem));
                continue;
            }

            plates.Add(new TensorPlate(barcode, sites, resolution, index is null ? [] : [index]));
        }

        return plates;
    }
}
