namespace CellPainting.Stages.Configuration;

/// <summary>
/// A dataset config: the reference pipeline's <c>cpjump</c> section (batch, S3 layout, plates, local paths,
/// extraction, fetch) plus what this build adds (tensors, build, sample, splits, layout, cache).
/// </summary>
public sealed record BuildConfig(
    string SourceFile,
    string Batch,
    string Endpoint,
    string Images,
    string Metadata,
    string ExternalMetadata,
    IReadOnlyList<PlateDirectory> Plates,
    LocalPaths Local,
    ExtractionSettings Extraction,
    FetchSettings Fetch,
    TensorSettings Tensors,
    BuildSettings Build,
    SplitSettings Splits,
    SampleSettings? Sample,
    LayoutSettings Layout,
    CacheSettings Cache)
{
    /// <summary>The bucket and key prefix of <see cref="Endpoint"/>; a config error when it is not an <c>s3://</c> URL.</summary>
    public S3Url EndpointUrl =>
        S3Url.TryParse(Endpoint, out S3Url? url)
            ? url!
            : throw new ConfigException($"{SourceFile}: cpjump.endpoint: expected s3://bucket/prefix, found '{Endpoint}'.");

    /// <summary>The S3 URI of a template, as the reference builds it.</summary>
    public string S3Uri(string template) =>
        Endpoint.TrimEnd('/') + "/" + template.Replace("{batch}", Batch, StringComparison.Ordinal).Trim('/');
}
