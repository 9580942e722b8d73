namespace CellPainting.Engine.Planning;

/// <summary>Why an item must be built. <see cref="None"/> means it is up to date.</summary>
public enum StaleReason
{
    None,
    New,
    PreviousRunIncomplete,
    RecipeChanged,
    ParamsChanged,
    InputChanged,
    OutputMissing,
    OutputModified,
}
