namespace CellPainting.Stages.Splits;

/// <summary>One row of a split manifest; the properties are the reference's columns in order (§13.2).</summary>
public sealed record SplitManifestRow(
    string SplitStrategy,
    string Subset,
    string MetadataPlate,
    string MetadataWell,
    string MetadataBroadSample,
    string MetadataCellLine,
    string MetadataExperimentType,
    string MetadataTimepoint,
    string MetadataTimepointCode,
    string MetadataTarget);
