namespace CellPainting.Stages.Metadata;

/// <summary>
/// Builds the metadata cache of the configured plates (the reference's <c>MetadataIndex</c>, §10):
/// <c>barcode_platemap.csv</c> maps barcode → platemap name, the platemap maps well → broad_sample, and the
/// external tables annotate each broad_sample. Every platemap well is kept, including those with an empty
/// broad_sample (DMSO / empty wells, which become negative controls).
/// </summary>
public static class MetadataLoader
{
    private const int ShownWells = 5;

    /// <param name="inputs">The files, usually from <see cref="MetadataInputs.Discover"/>.</param>
    /// <param name="barcodes">Barcodes of the configured plates (the plate directory name before <c>__</c>).</param>
    public static MetadataBuildResult Load(MetadataInputs inputs, IEnumerable<string> barcodes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(barcodes);
        var problems = new List<MetadataProblem>();
        var records = new List<WellMetadata>();
        var configured = barcodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var plateMapNames = ReadBarcodePlatemap(inputs.BarcodePlatemapPath, problems);
        if (plateMapNames is null)
        {
            return new MetadataBuildResult(new MetadataCache(inputs.Batch, records), problems);
        }

        var platemapFiles = IndexPlatemapFiles(inputs.PlatemapPaths, problems);
        var tables = new ExternalMetadataTables(
            ExternalMetadataTable.Load(inputs.CompoundMetadataPath, problems),
            ExternalMetadataTable.Load(inputs.CrisprMetadataPath, problems),
            ExternalMetadataTable.Load(inputs.OrfMetadataPath, problems));
        var platemaps = new Dictionary<string, IReadOnlyList<PlatemapWell>>(StringComparer.Ordinal);

        foreach (var barcode in configured)
        {
            if (!plateMapNames.TryGetValue(barcode, out var mapping))
            {
                problems.Add(MetadataProblem.Error(
                    inputs.BarcodePlatemapPath,
                    null,
                    $"configured plate {barcode} has no row in {MetadataInputs.BarcodePlatemapFileName}"));
                continue;
            }

            if (!platemaps.TryGetValue(mapping.Name, out var wells))
            {
                if (!platemapFiles.TryGetValue(mapping.Name, out var path))
                {
                    problems.Add(MetadataProblem.Error(
                        inputs.BarcodePlatemapPath,
                        mapping.Line,
                        $"platemap '{mapping.Name}' of plate {barcode} has no file {mapping.Name}.txt next to {MetadataInputs.BarcodePlatemapFileName} or in its platemap/ folder"));
                    continue;
                }

                wells = ReadPlatemap(path, tables, problems);
                platemaps[mapping.Name] = wells;
            }

            records.AddRange(wells.Select(w => new WellMetadata(new WellKey(barcode, w.Well), mapping.Name, PerturbationClassifier.Build(w, tables))));
        }

        return new MetadataBuildResult(new MetadataCache(inputs.Batch, records), problems);
    }

    /// <summary>Barcode → (platemap name, line); null when the file is missing or unusable (already reported).</summary>
    private static Dictionary<string, (string Name, int Line)>? ReadBarcodePlatemap(string path, List<MetadataProblem> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add(MetadataProblem.Error(path, null, "barcode → platemap file not found"));
            return null;
        }

        var table = DelimitedTableReader.ReadFile(path, ',', problems);
        if (!table.RequireColumns(problems, "Assay_Plate_Barcode", "Plate_Map_Name"))
        {
            return null;
        }

        var barcodeColumn = table.IndexOf("Assay_Plate_Barcode");
        var nameColumn = table.IndexOf("Plate_Map_Name");
        var map = new Dictionary<string, (string Name, int Line)>(StringComparer.Ordinal);
        foreach (var record in table.Records)
        {
            var (barcode, name) = (record[barcodeColumn], record[nameColumn]);
            if (barcode.Length == 0 || name.Length == 0)
            {
                problems.Add(MetadataProblem.Warning(path, record.Line, "row skipped: Assay_Plate_Barcode or Plate_Map_Name is empty"));
                continue;
            }

            if (map.TryGetValue(barcode, out var earlier))
            {
                problems.Add(MetadataProblem.Warning(
                    path,
                    record.Line,
                    $"barcode {barcode} already maps to '{earlier.Name}' at line {earlier.Line}; this later row ('{name}') is used"));
            }

            map[barcode] = (name, record.Line);
        }

        return map;
    }

    /// <summary>Platemap name (file name without extension) → path; a name defined by two files is an error.</summary>
    private static Dictionary<string, string> IndexPlatemapFiles(IReadOnlyList<string> paths, List<MetadataProblem> problems)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!files.TryAdd(name, path))
            {
                problems.Add(MetadataProblem.Error(path, null, $"platemap '{name}' is also defined by {files[name]}; remove one of them"));
            }
        }

        return files;
    }

    private static List<PlatemapWell> ReadPlatemap(string path, ExternalMetadataTables tables, List<MetadataProblem> problems)
    {
        var table = DelimitedTableReader.ReadFile(path, '\t', problems);
        if (!table.RequireColumns(problems, "well_position", "broad_sample"))
        {
            return [];
        }

        var (wellColumn, sampleColumn) = (table.IndexOf("well_position"), table.IndexOf("broad_sample"));
        var (controlColumn, pertTypeColumn) = (table.IndexOf("control_type"), table.IndexOf("pert_type"));
        var wells = new Dictionary<string, PlatemapWell>(StringComparer.Ordinal);
        foreach (var record in table.Records)
        {
            var well = new PlatemapWell(record[wellColumn], record[sampleColumn], record[controlColumn], record[pertTypeColumn], record.Line);
            if (well.Well.Length == 0)
            {
                problems.Add(MetadataProblem.Warning(path, record.Line, "row skipped: well_position is empty"));
            }
            else if (!WellPosition.IsValid(well.Well))
            {
                problems.Add(MetadataProblem.Error(path, record.Line, $"well '{well.Well}' is outside A01–P24"));
            }
            else if (wells.TryGetValue(well.Well, out var earlier))
            {
                problems.Add(MetadataProblem.Error(path, record.Line, $"duplicate well {well.Well} (first at line {earlier.Line})"));
            }
            else
            {
                wells.Add(well.Well, well);
                WarnIfUnannotated(path, well, tables, problems);
            }
        }

        var missing = WellPosition.All.Where(w => !wells.ContainsKey(w)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(MetadataProblem.Warning(
                path,
                null,
                $"platemap lists {wells.Count} of 384 wells; missing {string.Join(", ", missing.Take(ShownWells))}{(missing.Count > ShownWells ? ", …" : "")}"));
        }

        return [.. wells.Values.OrderBy(w => w.Well, StringComparer.Ordinal)];
    }

    private static void WarnIfUnannotated(string path, PlatemapWell well, ExternalMetadataTables tables, List<MetadataProblem> problems)
    {
        if (well.BroadSample.Length == 0 || tables.Compound.Contains(well.BroadSample) || tables.Crispr.Contains(well.BroadSample) || tables.Orf.Contains(well.BroadSample))
        {
            return;
        }

        var kept = PerturbationClassifier.Classify(well, tables).ToName();
        problems.Add(MetadataProblem.Warning(
            path,
            well.Line,
            $"broad_sample '{well.BroadSample}' (well {well.Well}) is in no external metadata table; kept as {kept} without annotations"));
    }
}
