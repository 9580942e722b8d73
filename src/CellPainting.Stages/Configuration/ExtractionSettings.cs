namespace CellPainting.Stages.Configuration;

/// <summary>The reference's extraction section (model id, device, batch size) plus the ONNX file and its digest.</summary>
public sealed record ExtractionSettings(string Model, string Device, int BatchSize, string? ModelPath, string? ModelSha256, int InputSize);
