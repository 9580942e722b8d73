using System.Globalization;
using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>
/// Builds the official per-well contexts from real files shipped in the repository, standing in for the
/// upstream <c>datasplits/cpjump1_metadata.csv</c> (3.2 MB, not shipped) that the reference reads.
/// </summary>
/// <remarks>
/// Derivation (official-splits-inputs.md §2–§3):
/// <list type="bullet">
/// <item>Standard plates = rows of the experiment metadata with the cache's batch, Density 100, Antibiotics
/// absent, and Cell_line Cas9 for CRISPR plates or Parental otherwise: exactly the 40 plates of the upstream file.</item>
/// <item>Cell line = Cell_type, experiment type = Perturbation as Compound/CRISPR/ORF, timepoint = Time.</item>
/// <item>Timepoint code = the modality's shorter (<c>low</c>) or longer (<c>high</c>) time over the Standard plates
/// (the upstream rank), so ORF 96 h is high while CRISPR 96 h is low.</item>
/// <item>broad_sample = the platemap's, an empty one read as <c>DMSO</c> on compound plates and <c>empty</c> otherwise.</item>
/// <item>Target, radix and is-across come from <c>datasplits/representation_learning_split_example_1.csv</c> keyed by
/// (broad_sample, cell line, timepoint, experiment type); the radix is a published R random draw and cannot be
/// recomputed. The file's timepoint code must agree with the derived one. Its <c>NA</c> target (DMSO) reads as empty.</item>
/// </list>
/// Limits: contexts are made for every well of the configured Standard plates (40 × 384 = 15,360 wells). The upstream
/// file lacks 85 of them (wells without a profile, at least 70 on BR00116995); which ones cannot be known from the
/// shipped files, so where the reference would raise "missing official split metadata" for them this build assigns
/// them. Wells of the 11 other plates of the batch get no context; the reference raises for those too, and
/// <see cref="MissingContextPolicy"/> decides here.
/// </remarks>
public static class OfficialContextBuilder
{
    private const int ShownWells = 5;

    private static readonly string[] ExampleColumns =
    [
        "Metadata_broad_sample", "Metadata_cell_line", "Metadata_timepoint", "Metadata_experiment_type",
        "Metadata_target", "Metadata_timepoint_code", "Metadata_target_radix", "Metadata_target_is_across",
    ];

    /// <param name="metadata">The metadata cache; contexts are made for its wells on Standard plates.</param>
    /// <param name="experiments">The experiment metadata.</param>
    /// <param name="representationExamplePath">Path of <c>representation_learning_split_example_1.csv</c>.</param>
    /// <param name="problems">Receives errors (unusable inputs, wells the example file cannot place) and warnings.</param>
    public static OfficialContextSet Build(
        MetadataCache metadata,
        ExperimentMetadata experiments,
        string representationExamplePath,
        ICollection<MetadataProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(representationExamplePath);
        ArgumentNullException.ThrowIfNull(problems);
        var source = $"{experiments.Source} + {representationExamplePath}";
        var plates = StandardPlates(metadata.Batch, experiments, problems);
        if (!File.Exists(representationExamplePath))
        {
            problems.Add(MetadataProblem.Error(representationExamplePath, null, "official example split file not found"));
            return new OfficialContextSet(source, []);
        }

        var examples = ReadExamples(DelimitedTableReader.ReadFile(representationExamplePath, ',', problems), problems);
        var contexts = new List<OfficialWellContext>();
        var unplaced = new List<string>();
        var disagreeing = new List<string>();
        foreach (var record in metadata.Records)
        {
            if (!plates.TryGetValue(record.Key.Barcode, out var plate))
            {
                continue;
            }

            var broadSample = record.Info.BroadSample.Length > 0 ? record.Info.BroadSample : plate.ExperimentType == "Compound" ? "DMSO" : "empty";
            var described = $"{record.Key} ({broadSample}, {plate.CellLine}, {plate.Timepoint} h, {plate.ExperimentType})";
            if (!examples.TryGetValue((broadSample, plate.CellLine, plate.Timepoint, plate.ExperimentType), out var example))
            {
                unplaced.Add(described);
                continue;
            }

            if (example.TimepointCode != plate.TimepointCode)
            {
                disagreeing.Add($"{described}: file says {example.TimepointCode}, plates say {plate.TimepointCode}");
                continue;
            }

            contexts.Add(new OfficialWellContext(
                record.Key,
                broadSample,
                example.Target,
                plate.CellLine,
                plate.ExperimentType,
                plate.Timepoint,
                plate.TimepointCode,
                example.TargetIsAcross,
                example.TargetRadix));
        }

        ReportWells(problems, representationExamplePath, unplaced, "well(s) of Standard plates have no row in the official example split");
        ReportWells(problems, representationExamplePath, disagreeing, "well(s) have a timepoint code that disagrees with the experiment metadata");
        return new OfficialContextSet(source, contexts);
    }

    private static void ReportWells(ICollection<MetadataProblem> problems, string file, List<string> wells, string what)
    {
        if (wells.Count > 0)
        {
            var shown = string.Join("; ", wells.Take(ShownWells)) + (wells.Count > ShownWells ? "; …" : "");
            problems.Add(MetadataProblem.Error(file, null, $"{wells.Count} {what}: {shown}"));
        }
    }

    private static Dictionary<string, StandardPlate> StandardPlates(string batch, ExperimentMetadata experiments, ICollection<MetadataProblem> problems)
    {
        var standard = new List<(ExperimentPlate Row, string Type)>();
        foreach (var row in experiments.Plates.Where(p => IsStandard(p, batch)))
        {
            var type = row.Perturbation switch
            {
                "compound" => "Compound",
                "crispr" => "CRISPR",
                "orf" => "ORF",
                _ => null,
            };
            if (type is null)
            {
                problems.Add(MetadataProblem.Warning(experiments.Source, row.Line, $"plate {row.Barcode}: unknown Perturbation '{row.Perturbation}'; no official context"));
                continue;
            }

            standard.Add((row, type));
        }

        if (standard.Count == 0)
        {
            problems.Add(MetadataProblem.Error(experiments.Source, null, $"no Standard plate (Density 100, Antibiotics absent, usual cell line) of batch {batch}"));
        }

        var codes = new Dictionary<(string Type, int Time), string>();
        foreach (var group in standard.GroupBy(p => p.Type, StringComparer.Ordinal))
        {
            var times = group.Select(p => p.Row.Time).Distinct().Order().ToList();
            if (times.Count != 2)
            {
                problems.Add(MetadataProblem.Error(
                    experiments.Source,
                    null,
                    $"{group.Key} Standard plates have timepoints {string.Join(", ", times)}; the official low/high code needs exactly two"));
                continue;
            }

            codes[(group.Key, times[0])] = "low";
            codes[(group.Key, times[1])] = "high";
        }

        var plates = new Dictionary<string, StandardPlate>(StringComparer.Ordinal);
        foreach (var (row, type) in standard)
        {
            if (codes.TryGetValue((type, row.Time), out var code))
            {
                plates[row.Barcode] = new StandardPlate(row.CellType, type, row.Time, code);
            }
        }

        return plates;
    }

    private static bool IsStandard(ExperimentPlate plate, string batch) =>
        plate.Batch == batch
        && plate.Density == "100"
        && plate.Antibiotics == "absent"
        && plate.CellLine == (plate.Perturbation == "crispr" ? "Cas9" : "Parental");

    private static Dictionary<(string BroadSample, string CellLine, int Timepoint, string ExperimentType), OfficialExampleRow> ReadExamples(
        DelimitedTable table,
        ICollection<MetadataProblem> problems)
    {
        var rows = new Dictionary<(string, string, int, string), OfficialExampleRow>();
        if (!table.RequireColumns(problems, ExampleColumns))
        {
            return rows;
        }

        var column = ExampleColumns.ToDictionary(c => c, table.IndexOf, StringComparer.Ordinal);
        foreach (var record in table.Records)
        {
            string Cell(string name) => record[column[name]];
            var radixText = Cell("Metadata_target_radix");
            int? radix = null;
            if (radixText.Length > 0)
            {
                if (!int.TryParse(radixText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    problems.Add(MetadataProblem.Error(table.Source, record.Line, $"Metadata_target_radix '{radixText}' is not a whole number"));
                    continue;
                }

                radix = parsed;
            }

            if (!int.TryParse(Cell("Metadata_timepoint"), NumberStyles.None, CultureInfo.InvariantCulture, out var timepoint))
            {
                problems.Add(MetadataProblem.Error(table.Source, record.Line, $"Metadata_timepoint '{Cell("Metadata_timepoint")}' is not a whole number"));
                continue;
            }

            var key = (Cell("Metadata_broad_sample"), Cell("Metadata_cell_line"), timepoint, Cell("Metadata_experiment_type"));
            var row = new OfficialExampleRow(
                Cell("Metadata_target"),
                Cell("Metadata_timepoint_code"),
                radix,
                Cell("Metadata_target_is_across").ToUpperInvariant() == "TRUE",
                record.Line);
            if (!rows.TryAdd(key, row))
            {
                problems.Add(MetadataProblem.Error(table.Source, record.Line, $"{key} already has a row at line {rows[key].Line}"));
            }
        }

        return rows;
    }
}
