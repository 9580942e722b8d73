namespace CellPainting.Stages.Metadata;

/// <summary>The reference's <c>PerturbationType</c>; <see cref="PerturbationTypeNames"/> gives the wire names.</summary>
public enum PerturbationType
{
    Unknown,
    Compound,
    Crispr,
    Orf,
    Negcon,
    Poscon,
}
