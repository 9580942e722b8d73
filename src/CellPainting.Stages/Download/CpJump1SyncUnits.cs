namespace CellPainting.Stages.Download;

/// <summary>
/// The CPJUMP1 source/local layout: platemaps of one batch, the external metadata, and the <c>Images/</c> folder of
/// each configured plate directory, mirrored the way the reference <c>data fetch</c> lays them out.
/// </summary>
public static class CpJump1SyncUnits
{
    /// <summary>Dataset root inside the <c>cellpainting-gallery</c> bucket.</summary>
    public const string DatasetPrefix = "cpg0000-jump-pilot/source_4/";

    /// <summary>Unit name of the external metadata folder.</summary>
    public const string ExternalMetadataUnitName = "external_metadata";

    /// <summary>
    /// Builds the units: <c>platemaps/&lt;batch&gt;</c>, <c>external_metadata</c>, then one unit per plate directory
    /// (named after the plate directory) in the given order.
    /// </summary>
    /// <param name="batch">Batch folder, e.g. <c>2020_11_04_CPJUMP1</c>.</param>
    /// <param name="plateDirectories">Plate directories, e.g. <c>BR00116991__2020-11-05T19_51_35-Measurement1</c>.</param>
    /// <param name="localMetadata">Local metadata root (<c>local.metadata</c>).</param>
    /// <param name="localRawImages">Local raw image root (<c>local.raw_images</c>).</param>
    /// <param name="selection">Which objects of each <c>Images/</c> folder to fetch.</param>
    /// <param name="datasetPrefix">Dataset root inside the bucket; the default is the gallery's.</param>
    /// <param name="images">Which of the plates' images a sync fetches; the metadata is always mirrored.</param>
    public static IReadOnlyList<SyncUnit> Create(
        string batch,
        IEnumerable<string> plateDirectories,
        string localMetadata,
        string localRawImages,
        ImageObjectSelection selection = ImageObjectSelection.Fluorescence,
        string datasetPrefix = DatasetPrefix,
        FetchPolicy images = FetchPolicy.Mirror)
    {
        ArgumentNullException.ThrowIfNull(plateDirectories);
        ArgumentException.ThrowIfNullOrWhiteSpace(localMetadata);
        ArgumentException.ThrowIfNullOrWhiteSpace(localRawImages);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetPrefix);
        EnsureSingleSegment(batch, nameof(batch));
        if (!datasetPrefix.EndsWith('/'))
        {
            datasetPrefix += "/";
        }

        Func<string, bool>? imageFilter = selection switch
        {
            ImageObjectSelection.Fluorescence => FluorescenceImageFilter.Includes,
            ImageObjectSelection.Everything => null,
            _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "Unknown image selection."),
        };

        var units = new List<SyncUnit>
        {
            new(
                $"platemaps/{batch}",
                $"{datasetPrefix}workspace/metadata/platemaps/{batch}/",
                Path.Combine(localMetadata, "platemaps", batch)),
            new(
                ExternalMetadataUnitName,
                $"{datasetPrefix}workspace/metadata/external_metadata/",
                Path.Combine(localMetadata, "external_metadata")),
        };

        foreach (var plateDirectory in plateDirectories)
        {
            EnsureSingleSegment(plateDirectory, nameof(plateDirectories));
            units.Add(new SyncUnit(
                plateDirectory,
                $"{datasetPrefix}images/{batch}/images/{plateDirectory}/Images/",
                Path.Combine(localRawImages, batch, plateDirectory, "Images"),
                imageFilter)
            {
                Fetch = images,
            });
        }

        return units;
    }

    // Batch and plate names become both key segments and local folder names: one plain segment each.
    private static void EnsureSingleSegment(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        if (!SafeKeyPath.TryValidate(value, out var reason) || value.Contains('/'))
        {
            throw new ArgumentException($"'{value}' is not a single plain path segment: {reason ?? "it contains '/'"}.", parameterName);
        }
    }
}
