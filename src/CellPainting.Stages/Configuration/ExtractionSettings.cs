namespace CellPainting.Stages.Configuration;

/// <summary>
/// The reference's extraction section (model id, device, batch size) plus the ONNX file, its digest, and the layout:
/// <see cref="VariantLayout"/> puts features under a directory named after the model and its parameters instead of
/// the reference's <c>&lt;features&gt;/&lt;barcode&gt;/</c>, so several feature sets coexist.
/// </summary>
public sealed record ExtractionSettings(string Model, string Device, int BatchSize, string? ModelPath, string? ModelSha256, int InputSize, bool VariantLayout);
