namespace CellPainting.Stages.Metadata;

/// <summary>How much <see cref="PerturbationText"/> says: the reference's <c>name_only</c>, <c>name_target</c>, <c>full</c>.</summary>
public enum TextLevel
{
    NameOnly,
    NameTarget,
    Full,
}
