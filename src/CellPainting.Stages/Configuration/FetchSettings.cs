namespace CellPainting.Stages.Configuration;

/// <summary>
/// Where raw data comes from: already local (the sample), or S3 (anonymous unless a profile is named); with
/// <see cref="KeepRaw"/> false the images are never stored locally, only fetched into memory by the builds that need them.
/// </summary>
public sealed record FetchSettings(
    string Source,
    string Backend,
    string OnExistingPlate,
    bool NoSignRequest,
    string RcloneRemote,
    string? EndpointUrl,
    string Region,
    string? Profile,
    bool AllChannels,
    int Parallelism,
    bool DeleteRemoved,
    bool KeepRaw = true);
