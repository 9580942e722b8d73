using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>
/// CPJUMP1's experiment metadata (<c>benchmark/output/experiment-metadata.tsv</c> of 2024_Chandrasekaran_NatureMethods;
/// shipped in the sample). <c>cellclip_cpjump_style</c> reads a plate's cell type, time and perturbation from it,
/// and the official contexts are derived from it. A barcode imaged in several batches has one row per batch.
/// </summary>
public sealed class ExperimentMetadata
{
    private static readonly string[] Required = ["Assay_Plate_Barcode", "Cell_type", "Perturbation", "Time"];

    private readonly Dictionary<string, ExperimentPlate> byBarcode;

    private ExperimentMetadata(string source, IReadOnlyList<ExperimentPlate> plates, Dictionary<string, ExperimentPlate> byBarcode)
    {
        Source = source;
        Plates = plates;
        this.byBarcode = byBarcode;
    }

    public string Source { get; }

    /// <summary>Every usable row, in file order.</summary>
    public IReadOnlyList<ExperimentPlate> Plates { get; }

    /// <summary>Reads the TSV; a missing file or column is an error, a row lacking a required value a skipped-row warning.</summary>
    public static ExperimentMetadata Read(string path, ICollection<MetadataProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(problems);
        if (!File.Exists(path))
        {
            problems.Add(MetadataProblem.Error(path, null, "experiment metadata file not found"));
            return new ExperimentMetadata(path, [], []);
        }

        return FromTable(DelimitedTableReader.ReadFile(path, '\t', problems), problems);
    }

    /// <summary>The plate's row for <c>cellclip_cpjump_style</c>: the last row of the barcode, as the reference's dict keeps.</summary>
    public bool TryGetPlate(string barcode, [MaybeNullWhen(false)] out ExperimentPlate plate) =>
        byBarcode.TryGetValue(barcode, out plate);

    internal static ExperimentMetadata FromTable(DelimitedTable table, ICollection<MetadataProblem> problems)
    {
        if (!table.RequireColumns(problems, Required))
        {
            return new ExperimentMetadata(table.Source, [], []);
        }

        int Column(string name) => table.IndexOf(name);
        var plates = new List<ExperimentPlate>();
        var byBarcode = new Dictionary<string, ExperimentPlate>(StringComparer.Ordinal);
        foreach (var record in table.Records)
        {
            var empty = Required.FirstOrDefault(name => record[Column(name)].Length == 0);
            if (empty is not null)
            {
                problems.Add(MetadataProblem.Warning(table.Source, record.Line, $"row skipped: {empty} is empty"));
                continue;
            }

            var timeText = record[Column("Time")];
            if (!int.TryParse(timeText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time))
            {
                problems.Add(MetadataProblem.Error(table.Source, record.Line, $"Time '{timeText}' is not a whole number of hours"));
                continue;
            }

            var plate = new ExperimentPlate(
                record[Column("Batch")],
                record[Column("Assay_Plate_Barcode")],
                record[Column("Perturbation")],
                record[Column("Cell_type")],
                time,
                record[Column("Density")],
                record[Column("Antibiotics")],
                record[Column("Cell_line")],
                record.Line);
            if (byBarcode.TryGetValue(plate.Barcode, out var earlier)
                && (earlier.CellType, earlier.Time, earlier.Perturbation) != (plate.CellType, plate.Time, plate.Perturbation))
            {
                problems.Add(MetadataProblem.Warning(
                    table.Source,
                    record.Line,
                    $"plate {plate.Barcode} is described differently at line {earlier.Line}; this later row is used for cellclip_cpjump_style"));
            }

            plates.Add(plate);
            byBarcode[plate.Barcode] = plate;
        }

        return new ExperimentMetadata(table.Source, plates, byBarcode);
    }
}
