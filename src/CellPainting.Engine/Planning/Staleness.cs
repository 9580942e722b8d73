namespace CellPainting.Engine.Planning;

/// <summary>The verdict on one item: a reason and, where it helps, the detail (which input, which output).</summary>
public sealed record Staleness(StaleReason Reason, string Detail)
{
    public static Staleness UpToDate { get; } = new(StaleReason.None, string.Empty);

    public bool IsStale => Reason != StaleReason.None;

    public override string ToString() => Detail.Length == 0 ? Reason.Describe() : $"{Reason.Describe()}: {Detail}";
}
