using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Download;

namespace CellPainting.Stages.Sites;

/// <summary>
/// The sites of every configured plate, scanned once per run and shared by the stages that read images. With a remote
/// dataset whose plates are listed, a site's images may be objects in the bucket rather than files here: each input then
/// carries its object, fetched only by a build that needs it.
/// </summary>
public sealed class SiteCatalog
{
    /// <summary>The inputs' names, one string each rather than one per input of every site (a batch has ~900k inputs).</summary>
    private static readonly string[] InputNames = SiteDiscovery.FluorescenceChannels.Select(channel => $"ch{channel}").ToArray();

    private readonly BuildConfig config;
    private readonly RemoteDataset? remote;
    private readonly Lazy<(IReadOnlyList<PlateScan> Scans, IReadOnlyDictionary<string, PlateImages> Listed)> scans;
    private readonly Lock lastGate = new();
    private (int Index, PlateScan Scan, PlateImages? Images)? last;

    /// <param name="remote">The dataset in its bucket (S3 configs), whose listed images count as the plates' images too.</param>
    public SiteCatalog(BuildConfig config, RemoteDataset? remote = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        this.remote = remote;
        scans = new Lazy<(IReadOnlyList<PlateScan>, IReadOnlyDictionary<string, PlateImages>)>(ScanAll);
    }

    public IReadOnlyList<PlateScan> Plates => scans.Value.Scans;

    public string ImageDirectory(PlateDirectory plate) => Path.Combine(config.Local.RawImages, config.Batch, plate.Name, "Images");

    /// <summary>One item per complete site, with channels 1–5 as inputs; plates and sites that cannot be built are reported.</summary>
    public StageItems ItemsFor(Func<DiscoveredSite, IReadOnlyList<ItemOutput>> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        IReadOnlyList<PlateScan> plates = Plates;
        // A batch has ~176k sites, each item a handful of objects: a plate's items are made on any core, then joined in plate order.
        var parts = new StageItems[plates.Count];
        Parallel.For(0, plates.Count, index => parts[index] = ItemsOf(plates[index], scans.Value.Listed.GetValueOrDefault(plates[index].Barcode), outputs));
        return new StageItems(
            parts.SelectMany(part => part.Items).ToArray(),
            parts.SelectMany(part => part.Problems).ToArray(),
            parts.SelectMany(part => part.Skipped).ToArray());
    }

    /// <summary>
    /// The items of <see cref="ItemsFor"/> a plate at a time, each plate scanned when it is reached (unless the catalog
    /// holds every plate's scan already) and let go after: a run then holds a few plates' paths, not a batch's.
    /// </summary>
    public IEnumerable<StageItems> ItemsByPlate(Func<DiscoveredSite, IReadOnlyList<ItemOutput>> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        for (int index = 0; index < config.Plates.Count; index++)
        {
            (PlateScan scan, PlateImages? images) = scans.IsValueCreated
                ? (scans.Value.Scans[index], scans.Value.Listed.GetValueOrDefault(config.Plates[index].Barcode))
                : LastScanOr(index);
            yield return ItemsOf(scan, images, outputs);
        }
    }

    public static string SiteId(string barcode, SiteKey key) => $"{barcode}/{key}";

    /// <summary>
    /// Plate <paramref name="index"/>'s scan, kept until another plate is asked for: stages run together list their
    /// parts in turn, each asking for the same plate, which is scanned once.
    /// </summary>
    private (PlateScan, PlateImages?) LastScanOr(int index)
    {
        lock (lastGate)
        {
            if (last?.Index != index)
            {
                PlateDirectory plate = config.Plates[index];
                PlateImages? images = remote?.ImagesOf(plate);
                last = (index, Scan(plate, images), images);
            }

            return (last.Value.Scan, last.Value.Images);
        }
    }

    /// <summary>The items of a plate's complete sites (none for a plate that could not be scanned), its problems and its skipped sites.</summary>
    private StageItems ItemsOf(PlateScan plate, PlateImages? images, Func<DiscoveredSite, IReadOnlyList<ItemOutput>> outputs)
    {
        if (plate.Error is not null)
        {
            return new StageItems(
                [],
                [new ItemProblem(plate.Barcode, plate.Barcode, $"plate {plate.Barcode} cannot be scanned: {plate.Error}; its lock entries are kept as they were") { WholeGroup = true }],
                []);
        }

        IReadOnlyDictionary<string, IRemoteInput>? objects = images?.Objects;
        var items = new WorkItem[plate.Sites.Count];
        for (int site = 0; site < items.Length; site++)
        {
            DiscoveredSite discovered = plate.Sites[site];
            var inputs = new ItemInput[InputNames.Length];
            for (int index = 0; index < inputs.Length; index++)
            {
                string path = discovered.ChannelPaths[index];
                inputs[index] = new ItemInput(InputNames[index], path, objects?.GetValueOrDefault(Path.GetFileName(path)));
            }

            items[site] = new WorkItem(SiteId(discovered.Barcode, discovered.Key), discovered.Barcode, inputs, outputs(discovered));
        }

        var problems = new List<ItemProblem>();
        var skipped = new List<ItemProblem>();
        foreach (IncompleteSite site in plate.Incomplete)
        {
            var problem = new ItemProblem(
                SiteId(site.Barcode, site.Key),
                site.Barcode,
                $"incomplete site: channel {string.Join(", ", site.MissingChannels)} missing in {plate.ImageDirectory}");
            (config.Build.IncompleteSitesFail ? problems : skipped).Add(problem);
        }

        return new StageItems(items, problems, skipped);
    }

    /// <summary>Plates in parallel with Parallel.For, whose start-up the item loop pays anyway (PLINQ's adds ~50 ms).</summary>
    private (IReadOnlyList<PlateScan>, IReadOnlyDictionary<string, PlateImages>) ScanAll()
    {
        var listed = new Dictionary<string, PlateImages>(StringComparer.Ordinal);
        foreach (PlateDirectory plate in config.Plates)
        {
            if (remote?.ImagesOf(plate) is PlateImages images)
            {
                listed[plate.Barcode] = images;
            }
        }

        var plates = new PlateScan[config.Plates.Count];
        Parallel.For(0, plates.Length, index => plates[index] = Scan(config.Plates[index], listed.GetValueOrDefault(config.Plates[index].Barcode)));
        return (plates, listed);
    }

    /// <summary>A plate's scan: its folder's images and, when its objects were listed, theirs.</summary>
    private PlateScan Scan(PlateDirectory plate, PlateImages? images)
    {
        PlateScan scan = SiteDiscovery.Scan(plate.Barcode, ImageDirectory(plate), images is { ListingError: null } ? images.Objects.Keys.ToArray() : null);
        return images?.ListingError is string error && scan.Error is not null
            ? scan with { Error = $"{scan.Error}, and listing its images failed: {error}" }
            : scan;
    }
}
