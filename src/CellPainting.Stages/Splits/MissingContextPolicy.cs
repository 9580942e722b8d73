namespace CellPainting.Stages.Splits;

/// <summary>
/// What to do with dataset wells that a strategy has no context for (open question Q8): official strategies
/// need an official well context, <c>cellclip_cpjump_style</c> a plate row in the experiment metadata.
/// </summary>
public enum MissingContextPolicy
{
    /// <summary>Fail, naming the plates and the first wells, as the reference raises. The default.</summary>
    Fail,

    /// <summary>Leave those wells out of the split and warn, naming the plates; what CellCLIP does by filtering first.</summary>
    SkipWellsWithoutContext,
}
