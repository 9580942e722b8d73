namespace CellPainting.Engine.Items;

/// <summary>An item a stage found but cannot build (an incomplete site, a bad file name): reported as a failure.</summary>
public sealed record ItemProblem(string ItemId, string Group, string Message)
{
    /// <summary>
    /// True when the whole group could not be listed (a plate folder that cannot be read): what the lock says of
    /// the group is then kept as it was, since nothing is known about its items now.
    /// </summary>
    public bool WholeGroup { get; init; }
}
