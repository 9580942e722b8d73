using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>
/// The columns of the official per-well file (<c>cpjump1_metadata.csv</c>) that the official strategies and the
/// manifest read, for one well.
/// </summary>
/// <param name="Key">Plate barcode and well.</param>
/// <param name="BroadSample">Platemap broad_sample; an empty one is <c>DMSO</c> on compound plates and <c>empty</c> elsewhere.</param>
/// <param name="Target">Target gene (CRISPR negcon guides: <c>NO_SITE</c> / <c>ONE_INTERGENIC_SITE</c>; empty wells: <c>empty</c>; DMSO: empty).</param>
/// <param name="CellLine"><c>A549</c> or <c>U2OS</c>.</param>
/// <param name="ExperimentType"><c>Compound</c>, <c>CRISPR</c> or <c>ORF</c>.</param>
/// <param name="Timepoint">Hours.</param>
/// <param name="TimepointCode"><c>low</c> or <c>high</c>: the shorter or longer timepoint of the modality.</param>
/// <param name="TargetIsAcross">Whether the target is perturbed by all three modalities.</param>
/// <param name="TargetRadix">The published random rank of the target (1…179), null when not given.</param>
public sealed record OfficialWellContext(
    WellKey Key,
    string BroadSample,
    string Target,
    string CellLine,
    string ExperimentType,
    int Timepoint,
    string TimepointCode,
    bool TargetIsAcross,
    int? TargetRadix);
