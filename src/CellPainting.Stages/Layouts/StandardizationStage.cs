using System.Globalization;
using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// spora_io standardisation statistics of the tensors, per channel, under
/// <c>&lt;spora&gt;/&lt;barcode&gt;/cellpainting/&lt;mpp&gt;mpp/standardization/&lt;spec&gt;/</c>. A <c>_image</c> spec's
/// statistics are per site: one item per site writes <c>image_level/&lt;site&gt;.parquet</c> for every such spec, so one
/// site changed rebuilds that site's files only. <c>identity</c> and <c>_global</c> specs are over the plate: one item
/// per plate writes each spec's <c>global_level_stats.parquet</c>. Quantiles are exact (numpy's linear); the clipped
/// values are min(x, q), log1p'd for <c>quantile_clipping_log1p</c>; mean and std (ddof=0) are taken after that.
/// </summary>
public sealed class StandardizationStage : IStage
{
    public const string ImageFolder = "image_level";
    public const string GlobalFile = "global_level_stats.parquet";

    private readonly BuildConfig config;
    private readonly StandardizationSpec[] imageSpecs;
    private readonly StandardizationSpec[] plateSpecs;

    public StandardizationStage(BuildConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        StandardizationSpec[] specs = [.. config.Layout.Spora.Standardization.Distinct(StringComparer.Ordinal).Select(StandardizationSpec.Parse)];
        imageSpecs = [.. specs.Where(spec => spec.IsImageLevel)];
        plateSpecs = [.. specs.Where(spec => !spec.IsImageLevel)];
        Parameters = new StageParameters(new Dictionary<string, string>
        {
            ["specs"] = string.Join(",", specs.Select(spec => spec.Name)),
            ["quantile"] = "exact, numpy linear interpolation",
            ["clipping"] = "min(x, q); log1p after clipping for quantile_clipping_log1p",
            ["moments"] = "mean and population std (ddof=0) after clipping",
            ["input"] = "tensors (5,S,S) float32",
        });
    }

    public string Name => "standardization";

    public int RecipeVersion => 1;

    public StageParameters Parameters { get; }

    public StageItems Discover()
    {
        var items = new List<WorkItem>();
        var problems = new List<ItemProblem>();
        var skipped = new List<ItemProblem>();
        foreach (TensorPlate plate in TensorPlate.Discover(config, "standardise", problems, skipped))
        {
            string folder = Path.Combine(config.Layout.Spora.Root, plate.Barcode, "cellpainting", plate.Resolution.FolderName, "standardization");
            if (imageSpecs.Length > 0)
            {
                items.AddRange(plate.Sites.Select(site => new WorkItem(
                    SiteCatalog.SiteId(plate.Barcode, site.Key),
                    plate.Barcode,
                    [site.Input, .. plate.ResolutionInputs],
                    [.. imageSpecs.Select(spec => new ItemOutput(spec.Name, Path.Combine(folder, spec.Name, ImageFolder, site.Key + ".parquet")))])));
            }

            if (plateSpecs.Length > 0)
            {
                items.Add(new WorkItem(plate.Barcode, plate.Barcode, [.. plate.Sites.Select(site => site.Input), .. plate.ResolutionInputs], [.. plateSpecs.Select(spec => new ItemOutput(spec.Name, Path.Combine(folder, spec.Name, GlobalFile)))]));
            }
        }

        return new StageItems(items, problems, skipped);
    }

    public void Build(WorkItem item, IBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        ItemInput[] tensors = [.. item.Inputs.Where(input => input.Name != PlateResolution.IndexInput)];
        if (item.Id.Contains('/', StringComparison.Ordinal))
        {
            BuildSite(tensors.Single(), context);
        }
        else
        {
            BuildPlate(tensors, context);
        }
    }

    private void BuildSite(ItemInput input, IBuildContext context)
    {
        float[][] channels = TensorChannels.Read(input, context);
        string site = Path.GetFileNameWithoutExtension(input.Name);
        foreach (StandardizationSpec spec in imageSpecs)
        {
            var quantiles = new double[channels.Length];
            var moments = new ChannelMoments[channels.Length];
            for (int channel = 0; channel < channels.Length; channel++)
            {
                quantiles[channel] = LinearQuantile.Of([.. channels[channel]], spec.UpperQuantile);
                moments[channel] = new ChannelMoments();
                moments[channel].Add(channels[channel], quantiles[channel], spec.Method == StandardizationMethod.QuantileClippingLog1p);
            }

            var table = new ParquetTable(channels.Length)
                .Strings("tissue_id", Enumerable.Repeat(site, channels.Length).ToArray());
            byte[] bytes = Describe(Moments(table, quantiles, moments), spec, "image").ToBytes();
            context.WriteOutput(spec.Name, stream => stream.Write(bytes));
        }
    }

    private void BuildPlate(ItemInput[] tensors, IBuildContext context)
    {
        int channelCount = Features.SiteTensor.Channels;
        var quantiles = plateSpecs.ToDictionary(spec => spec, spec => spec.Method == StandardizationMethod.Identity ? null : Enumerable.Range(0, channelCount).Select(_ => new GlobalQuantile(spec.UpperQuantile)).ToArray());
        bool needQuantiles = quantiles.Values.Any(value => value is not null);
        // Pass 1 counts for the quantiles, pass 2 keeps the candidates; the moments need the quantiles, so they come last.
        if (needQuantiles)
        {
            TensorChannels.ForEach(tensors, context, channels =>
            {
                foreach (GlobalQuantile[]? perChannel in quantiles.Values)
                {
                    for (int channel = 0; channel < channelCount && perChannel is not null; channel++)
                    {
                        perChannel[channel].Count(channels[channel]);
                    }
                }
            });
            TensorChannels.ForEach(tensors, context, channels =>
            {
                foreach (GlobalQuantile[]? perChannel in quantiles.Values)
                {
                    for (int channel = 0; channel < channelCount && perChannel is not null; channel++)
                    {
                        perChannel[channel].Keep(channels[channel]);
                    }
                }
            });
        }

        var uppers = quantiles.ToDictionary(pair => pair.Key, pair => pair.Value?.Select(quantile => quantile.Result()).ToArray());
        var moments = plateSpecs.ToDictionary(spec => spec, _ => Enumerable.Range(0, channelCount).Select(_ => new ChannelMoments()).ToArray());
        TensorChannels.ForEach(tensors, context, channels =>
        {
            foreach (StandardizationSpec spec in plateSpecs)
            {
                for (int channel = 0; channel < channelCount; channel++)
                {
                    double upper = uppers[spec] is double[] values ? values[channel] : double.PositiveInfinity;
                    moments[spec][channel].Add(channels[channel], upper, spec.Method == StandardizationMethod.QuantileClippingLog1p);
                }
            }
        });

        foreach (StandardizationSpec spec in plateSpecs)
        {
            var table = new ParquetTable(channelCount);
            table = uppers[spec] is double[] values
                ? Moments(table, values, moments[spec])
                : Moments(table, null, moments[spec]);
            byte[] bytes = Describe(table.Int64s("pixels", [.. moments[spec].Select(moment => moment.Count)]), spec, "global").ToBytes();
            context.WriteOutput(spec.Name, stream => stream.Write(bytes));
        }
    }

    private static ParquetTable Moments(ParquetTable table, double[]? quantiles, ChannelMoments[] moments)
    {
        table.Int32s("channel", [.. Enumerable.Range(1, moments.Length)]);
        if (quantiles is not null)
        {
            table.Float64s("upper_quantile", quantiles);
        }

        return table.Float64s("mean", [.. moments.Select(moment => moment.Mean)])
            .Float64s("std", [.. moments.Select(moment => moment.Std)]);
    }

    private ParquetTable Describe(ParquetTable table, StandardizationSpec spec, string level) =>
        table.Describe("spora_io.spec", spec.Name)
            .Describe("spora_io.quantile_level", spec.Method == StandardizationMethod.Identity ? "none" : spec.PerImage ? "image" : "global")
            .Describe("spora_io.stats_level", level)
            .Describe("cellpainting.quantile", spec.Method == StandardizationMethod.Identity ? "none" : string.Create(CultureInfo.InvariantCulture, $"{spec.UpperQuantile}, exact, numpy linear interpolation"))
            .Describe("cellpainting.tensors", string.Create(CultureInfo.InvariantCulture, $"(5,{config.Tensors.Size},{config.Tensors.Size}) float32, uint16/65535, bilinear resize"));
}
