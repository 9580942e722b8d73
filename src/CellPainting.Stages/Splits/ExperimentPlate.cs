namespace CellPainting.Stages.Splits;

/// <summary>One row of CPJUMP1's <c>experiment-metadata.tsv</c>: the conditions a plate was made under.</summary>
/// <param name="Batch">The imaging batch, e.g. <c>2020_11_04_CPJUMP1</c>.</param>
/// <param name="Barcode">Assay_Plate_Barcode.</param>
/// <param name="Perturbation">Modality as written: <c>compound</c>, <c>crispr</c>, <c>orf</c>.</param>
/// <param name="CellType">Cell_type: <c>A549</c> or <c>U2OS</c>.</param>
/// <param name="Time">Hours from perturbation to fixation.</param>
/// <param name="Density">Seeding density in percent, as written (<c>100</c> is standard).</param>
/// <param name="Antibiotics">Antibiotics, as written (<c>absent</c> is standard).</param>
/// <param name="CellLine">Cell_line: <c>Parental</c> or <c>Cas9</c>.</param>
/// <param name="Line">Line in the file, for messages.</param>
public sealed record ExperimentPlate(
    string Batch,
    string Barcode,
    string Perturbation,
    string CellType,
    int Time,
    string Density,
    string Antibiotics,
    string CellLine,
    int Line);
