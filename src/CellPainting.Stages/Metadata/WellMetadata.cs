namespace CellPainting.Stages.Metadata;

/// <summary>One record of the metadata cache: a configured plate's well and what the platemap and external tables say about it.</summary>
/// <param name="Key">Barcode and well.</param>
/// <param name="PlateMapName">The platemap the barcode maps to in <c>barcode_platemap.csv</c>.</param>
/// <param name="Info">The merged perturbation fields.</param>
public sealed record WellMetadata(WellKey Key, string PlateMapName, PerturbationInfo Info);
