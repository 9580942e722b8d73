using System.Globalization;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Sites;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// A plate's site features as Gallery-style profile tables: the <c>Metadata_</c> columns profiling tools join on,
/// then one float32 column per feature, <c>ch&lt;c&gt;_&lt;dddd&gt;</c> (channel c of 1–5, CLS dimension d from 0).
/// The site table has a row per site file; the well table the mean over each well's sites.
/// </summary>
public static class ProfileTables
{
    public const string SiteAggregation = "none: one row per site";
    public const string WellAggregation = "mean over the well's sites (float64 sums, rounded to float32)";

    public static readonly string[] PerturbationColumns =
        ["Metadata_broad_sample", "Metadata_pert_type", "Metadata_pert_iname", "Metadata_gene", "Metadata_control_type"];

    public static string FeatureColumn(int channel, int dimension) =>
        string.Create(CultureInfo.InvariantCulture, $"ch{channel}_{dimension:D4}");

    /// <param name="sites">The plate's sites in site order, each with its (5, D) features in C order.</param>
    public static (ParquetTable Sites, ParquetTable Wells) Build(ProfilePlate plate, IReadOnlyList<(SiteKey Key, float[] Features)> sites, int channels, int dimension, MetadataCache metadata)
    {
        ArgumentNullException.ThrowIfNull(plate);
        ArgumentNullException.ThrowIfNull(sites);
        ArgumentNullException.ThrowIfNull(metadata);
        string[][] perturbation(IReadOnlyList<string> wells) => wells
            .Select(well => Fields(metadata.Lookup(new WellKey(plate.Barcode, well))))
            .ToArray();

        string[] siteWells = [.. sites.Select(site => site.Key.Well)];
        var siteTable = new ParquetTable(sites.Count);
        Identify(siteTable, plate, siteWells, SiteAggregation, "site");
        siteTable.Int32s("Metadata_Site", [.. sites.Select(site => site.Key.Field)]);
        Perturb(siteTable, perturbation(siteWells));
        AddFeatures(siteTable, sites.Select(site => site.Features).ToArray(), channels, dimension);

        var wells = sites.GroupBy(site => site.Key.Well, StringComparer.Ordinal).ToArray();
        float[][] means = wells.Select(well => Mean([.. well.Select(site => site.Features)])).ToArray();
        string[] wellNames = [.. wells.Select(well => well.Key)];
        var wellTable = new ParquetTable(wells.Length);
        Identify(wellTable, plate, wellNames, WellAggregation, "well");
        wellTable.Int32s("Metadata_Site_Count", [.. wells.Select(well => well.Count())]);
        Perturb(wellTable, perturbation(wellNames));
        AddFeatures(wellTable, means, channels, dimension);
        return (siteTable, wellTable);
    }

    private static string[] Fields(PerturbationInfo info) =>
        [info.BroadSample, info.PertType.ToName(), info.PertIname, info.Gene, info.ControlType];

    private static void Identify(ParquetTable table, ProfilePlate plate, string[] wells, string aggregation, string level)
    {
        int rows = wells.Length;
        table.Strings("Metadata_Source", Enumerable.Repeat(plate.Source, rows).ToArray())
            .Strings("Metadata_Batch", Enumerable.Repeat(plate.Batch, rows).ToArray())
            .Strings("Metadata_Plate", Enumerable.Repeat(plate.Barcode, rows).ToArray())
            .Strings("Metadata_Well", wells)
            .Describe("cellpainting.level", level)
            .Describe("cellpainting.aggregation", aggregation)
            .Describe("cellpainting.features", plate.Variant)
            .Describe("cellpainting.feature_columns", "ch<c>_<dddd>: channel c (1 Mito, 2 AGP, 3 RNA, 4 ER, 5 DNA), CLS dimension d");
    }

    private static void Perturb(ParquetTable table, string[][] fields)
    {
        for (int column = 0; column < PerturbationColumns.Length; column++)
        {
            table.Strings(PerturbationColumns[column], [.. fields.Select(row => row[column])]);
        }
    }

    private static void AddFeatures(ParquetTable table, float[][] rows, int channels, int dimension)
    {
        for (int channel = 0; channel < channels; channel++)
        {
            for (int index = 0; index < dimension; index++)
            {
                int offset = (channel * dimension) + index;
                table.Float32s(FeatureColumn(channel + 1, index), [.. rows.Select(row => row[offset])]);
            }
        }
    }

    private static float[] Mean(float[][] rows)
    {
        var sums = new double[rows[0].Length];
        foreach (float[] row in rows)
        {
            for (int index = 0; index < row.Length; index++)
            {
                sums[index] += row[index];
            }
        }

        return [.. sums.Select(sum => (float)(sum / rows.Length))];
    }
}
