namespace CellPainting.Stages.Layouts;

/// <summary>What identifies a plate's profiles: the Gallery source, batch, barcode, and the features variant they come from.</summary>
public sealed record ProfilePlate(string Source, string Batch, string Barcode, string Variant);
