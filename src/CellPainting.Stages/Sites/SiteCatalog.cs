using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Sites;

/// <summary>The sites of every configured plate, scanned once per run and shared by the stages that read images.</summary>
public sealed class SiteCatalog
{
    /// <summary>The inputs' names, one string each rather than one per input of every site (a batch has ~900k inputs).</summary>
    private static readonly string[] InputNames = SiteDiscovery.FluorescenceChannels.Select(channel => $"ch{channel}").ToArray();

    private readonly BuildConfig config;
    private readonly Lazy<IReadOnlyList<PlateScan>> scans;

    public SiteCatalog(BuildConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        scans = new Lazy<IReadOnlyList<PlateScan>>(ScanAll);
    }

    public IReadOnlyList<PlateScan> Plates => scans.Value;

    public string ImageDirectory(PlateDirectory plate) => Path.Combine(config.Local.RawImages, config.Batch, plate.Name, "Images");

    /// <summary>One item per complete site, with channels 1–5 as inputs; plates and sites that cannot be built are reported.</summary>
    public StageItems ItemsFor(Func<DiscoveredSite, IReadOnlyList<ItemOutput>> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var items = new List<WorkItem>();
        var problems = new List<ItemProblem>();
        var skipped = new List<ItemProblem>();
        foreach (PlateScan plate in Plates)
        {
            if (plate.Error is not null)
            {
                problems.Add(new ItemProblem(plate.Barcode, plate.Barcode, $"plate {plate.Barcode} cannot be scanned: {plate.Error}; its lock entries are kept as they were") { WholeGroup = true });
                continue;
            }

            foreach (DiscoveredSite site in plate.Sites)
            {
                var inputs = new ItemInput[InputNames.Length];
                for (int index = 0; index < inputs.Length; index++)
                {
                    inputs[index] = new ItemInput(InputNames[index], site.ChannelPaths[SiteDiscovery.FluorescenceChannels[index]]);
                }

                items.Add(new WorkItem(SiteId(site.Barcode, site.Key), site.Barcode, inputs, outputs(site)));
            }

            foreach (IncompleteSite site in plate.Incomplete)
            {
                var problem = new ItemProblem(
                    SiteId(site.Barcode, site.Key),
                    site.Barcode,
                    $"incomplete site: channel {string.Join(", ", site.MissingChannels)} missing in {plate.ImageDirectory}");
                (config.Build.IncompleteSitesFail ? problems : skipped).Add(problem);
            }
        }

        return new StageItems(items, problems, skipped);
    }

    public static string SiteId(string barcode, SiteKey key) => $"{barcode}/{key}";

    /// <summary>Plates in parallel with Parallel.For, whose start-up the item loop pays anyway (PLINQ's adds ~50 ms).</summary>
    private IReadOnlyList<PlateScan> ScanAll()
    {
        var plates = new PlateScan[config.Plates.Count];
        Parallel.For(0, plates.Length, index => plates[index] = SiteDiscovery.Scan(config.Plates[index].Barcode, ImageDirectory(config.Plates[index])));
        return plates;
    }
}
