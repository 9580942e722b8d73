namespace CellPainting.Stages.Metadata;

/// <summary>How serious a <see cref="MetadataProblem"/> is: errors fail the target, warnings are printed.</summary>
public enum MetadataProblemSeverity
{
    Warning,
    Error,
}
