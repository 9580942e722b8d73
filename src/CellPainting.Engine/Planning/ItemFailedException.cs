namespace CellPainting.Engine.Planning;

/// <summary>An item cannot be built; the message says why in words a user can act on. Other items go on.</summary>
public sealed class ItemFailedException : Exception
{
    public ItemFailedException(string message)
        : base(message)
    {
    }

    public ItemFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
