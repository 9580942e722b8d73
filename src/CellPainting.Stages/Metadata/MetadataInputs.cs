namespace CellPainting.Stages.Metadata;

/// <summary>
/// The files the <c>Metadata</c> target reads, laid out as the reference expects:
/// <c>&lt;metadata&gt;/platemaps/&lt;batch&gt;/barcode_platemap.csv</c>, platemaps <c>*.txt</c> in that folder and in
/// its <c>platemap/</c> subfolder, and the external tables in <c>&lt;metadata&gt;/external_metadata/</c>.
/// </summary>
/// <param name="Batch">The batch name, e.g. <c>2020_11_04_CPJUMP1</c>.</param>
/// <param name="BarcodePlatemapPath">Path of <c>barcode_platemap.csv</c>.</param>
/// <param name="PlatemapPaths">Every platemap file found; a platemap's name is its file name without extension.</param>
/// <param name="CompoundMetadataPath">The compound table: <c>_metadata_targets.tsv</c> when it exists, else <c>_metadata.tsv</c>.</param>
/// <param name="CrisprMetadataPath">The CRISPR table.</param>
/// <param name="OrfMetadataPath">The ORF table.</param>
public sealed record MetadataInputs(
    string Batch,
    string BarcodePlatemapPath,
    IReadOnlyList<string> PlatemapPaths,
    string CompoundMetadataPath,
    string CrisprMetadataPath,
    string OrfMetadataPath)
{
    public const string BarcodePlatemapFileName = "barcode_platemap.csv";
    public const string CompoundTargetsFileName = "JUMP-Target-1_compound_metadata_targets.tsv";
    public const string CompoundFileName = "JUMP-Target-1_compound_metadata.tsv";
    public const string CrisprFileName = "JUMP-Target-1_crispr_metadata.tsv";
    public const string OrfFileName = "JUMP-Target-1_orf_metadata.tsv";

    /// <summary>
    /// Finds the inputs under <paramref name="metadataDirectory"/> (the config's <c>local.metadata</c>). Files that
    /// do not exist keep their expected path; <see cref="MetadataLoader"/> reports them.
    /// </summary>
    public static MetadataInputs Discover(string metadataDirectory, string batch)
    {
        ArgumentNullException.ThrowIfNull(metadataDirectory);
        ArgumentNullException.ThrowIfNull(batch);
        var batchDirectory = Path.Combine(metadataDirectory, "platemaps", batch);
        var platemaps = new[] { batchDirectory, Path.Combine(batchDirectory, "platemap") }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.txt", SearchOption.TopDirectoryOnly))
            .Order(StringComparer.Ordinal)
            .ToList();
        var external = Path.Combine(metadataDirectory, "external_metadata");
        var compoundTargets = Path.Combine(external, CompoundTargetsFileName);
        return new MetadataInputs(
            batch,
            Path.Combine(batchDirectory, BarcodePlatemapFileName),
            platemaps,
            File.Exists(compoundTargets) ? compoundTargets : Path.Combine(external, CompoundFileName),
            Path.Combine(external, CrisprFileName),
            Path.Combine(external, OrfFileName));
    }

    /// <summary>Every path above, sorted: the target's declared inputs.</summary>
    public IReadOnlyList<string> Files =>
        [.. PlatemapPaths.Append(BarcodePlatemapPath).Append(CompoundMetadataPath).Append(CrisprMetadataPath).Append(OrfMetadataPath).Order(StringComparer.Ordinal)];
}
