namespace CellPainting.Engine.Sharding;

/// <summary>
/// A shard's part of one group: the items at positions [<see cref="Start"/>, <see cref="End"/>) of the group's items
/// in id order, out of <see cref="Of"/>. A whole group (Start 0, End = Of) is most slices.
/// </summary>
public sealed record ShardSlice(string Group, int Start, int End, int Of)
{
    public bool Whole => Start == 0 && End == Of;

    public int Items => End - Start;
}
