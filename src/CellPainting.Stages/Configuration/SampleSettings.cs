namespace CellPainting.Stages.Configuration;

/// <summary>
/// The embedded sample: synthesise a small CPJUMP1-shaped raw dataset for the configured plates.
/// <see cref="IncompleteSites"/> lists "BARCODE/rRRcCCfFF:chN" entries left without that channel on purpose.
/// </summary>
public sealed record SampleSettings(int ImageSize, IReadOnlyList<string> Wells, int Sites, int Seed, IReadOnlyList<string> IncompleteSites);
