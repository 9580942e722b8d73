namespace CellPainting.Stages.Splits;

/// <summary>The manifest's <c>subset</c> values.</summary>
public static class SplitSubsetNames
{
    public static string ToName(this SplitSubset subset) => subset switch
    {
        SplitSubset.Train => "train",
        SplitSubset.Validate => "validate",
        SplitSubset.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(subset), subset, "not a split subset"),
    };
}
