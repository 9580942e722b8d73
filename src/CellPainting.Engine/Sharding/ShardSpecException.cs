namespace CellPainting.Engine.Sharding;

/// <summary>A shard that cannot be told: a malformed <c>--shard</c>, or an engine environment without an index or a count.</summary>
public sealed class ShardSpecException : Exception
{
    public ShardSpecException(string message)
        : base(message)
    {
    }

    public ShardSpecException()
    {
    }

    public ShardSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
