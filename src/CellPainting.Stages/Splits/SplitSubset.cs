namespace CellPainting.Stages.Splits;

/// <summary>The subset a well is assigned to; written as <c>train</c>, <c>validate</c>, <c>test</c>.</summary>
public enum SplitSubset
{
    Train,
    Validate,
    Test,
}
