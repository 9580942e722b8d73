namespace CellPainting.Stages.Splits;

/// <summary>The reference's four dataset split strategies (§13.1); <see cref="SplitStrategyNames"/> gives their config names.</summary>
public enum SplitStrategy
{
    PertType,
    Cpjump1OfficialRepresentation,
    Cpjump1OfficialGeneCompound,
    CellclipCpjumpStyle,
}
