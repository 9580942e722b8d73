namespace CellPainting.Engine.Planning;

/// <summary>The words users read for each reason, in explanations and summaries.</summary>
public static class StaleReasonText
{
    public static string Describe(this StaleReason reason) => reason switch
    {
        StaleReason.None => "up to date",
        StaleReason.New => "new",
        StaleReason.PreviousRunIncomplete => "previous run incomplete",
        StaleReason.RecipeChanged => "recipe changed",
        StaleReason.ParamsChanged => "params changed",
        StaleReason.InputChanged => "input changed",
        StaleReason.OutputMissing => "output missing",
        StaleReason.OutputModified => "output modified",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
