namespace CellPainting.Stages.Metadata;

/// <summary>The three external tables that classify and annotate platemap broad_samples.</summary>
internal sealed record ExternalMetadataTables(ExternalMetadataTable Compound, ExternalMetadataTable Crispr, ExternalMetadataTable Orf);
