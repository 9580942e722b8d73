using CellPainting.Engine.IO;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Imaging;
using CellPainting.Stages.Sites;

namespace CellPainting.Stages.Sample;

/// <summary>
/// Writes the embedded sample dataset into the data root: the real CPJUMP1 metadata files, and for each configured
/// plate synthetic 16-bit LZW TIFFs in the CPJUMP1 layout (8 channels per site), with the configured sites left
/// incomplete. Only missing files are written, so the sample can be edited by tests and stays as edited.
/// </summary>
public sealed class SampleDataset
{
    private const string MetadataPrefix = "cpg0000-jump-pilot/source_4/workspace/metadata/";
    private const string ReferencePrefix = "github/";
    private const int AllChannels = 8;

    /// <summary>How Phenix-like files are stored: LZW with the horizontal predictor, in strips.</summary>
    private static readonly TiffEncoding Encoding = new(TiffCompression.Lzw, horizontalPredictor: true, rowsPerStrip: 16, tileSize: 0);

    private readonly BuildConfig config;
    private readonly SampleSettings settings;

    public SampleDataset(BuildConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        settings = config.Sample ?? throw new ArgumentException($"{config.SourceFile} has no cpjump.sample section.", nameof(config));
    }

    /// <summary>Writes whatever is missing; returns how many files were written.</summary>
    public int EnsureWritten()
    {
        int written = WriteMetadata();
        var incomplete = settings.IncompleteSites.ToHashSet(StringComparer.Ordinal);
        var work = new List<(string Path, string Stream, int Channel)>();
        foreach (PlateDirectory plate in config.Plates)
        {
            string directory = Path.Combine(config.Local.RawImages, config.Batch, plate.Name, "Images");
            foreach (string well in settings.Wells)
            {
                (int row, int column) = ParseWell(well);
                for (int field = 1; field <= settings.Sites; field++)
                {
                    var key = new SiteKey(row, column, field);
                    for (int channel = 1; channel <= AllChannels; channel++)
                    {
                        if (incomplete.Contains($"{plate.Barcode}/{key}:ch{channel}"))
                        {
                            continue;
                        }

                        string path = Path.Combine(directory, $"{key}p01-ch{channel}sk1fk1fl1.tiff");
                        work.Add((path, $"{settings.Seed}/{plate.Barcode}/{key}", channel));
                    }
                }
            }
        }

        var missing = work.Where(file => !File.Exists(file.Path)).ToArray();
        Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = config.Build.Parallelism }, file =>
        {
            Gray16Image image = SyntheticSite.Render(settings.ImageSize, file.Stream, file.Channel);
            AtomicFile.WriteAllBytes(file.Path, TiffEncoder.Encode(image, Encoding));
        });
        return written + missing.Length;
    }

    /// <summary>The real metadata files go where the reference expects them; the GitHub reference files under reference/.</summary>
    private int WriteMetadata()
    {
        int written = 0;
        foreach (string file in SampleResources.Files)
        {
            string? target = file.StartsWith(MetadataPrefix, StringComparison.Ordinal)
                ? Path.Combine(config.Local.Metadata, file[MetadataPrefix.Length..])
                : file.StartsWith(ReferencePrefix, StringComparison.Ordinal)
                    ? Path.Combine(config.Local.Metadata, "reference", file[ReferencePrefix.Length..])
                    : null;
            if (target is null || File.Exists(target))
            {
                continue;
            }

            AtomicFile.WriteAllBytes(target, SampleResources.Read(file));
            written++;
        }

        return written;
    }

    private static (int Row, int Column) ParseWell(string well)
    {
        if (well.Length != 3 || well[0] is < 'A' or > 'P' || !int.TryParse(well.AsSpan(1), out int column) || column is < 1 or > 24)
        {
            throw new ConfigException($"cpjump.sample.wells: '{well}' is not a well A01..P24.");
        }

        return (well[0] - 'A' + 1, column);
    }
}
