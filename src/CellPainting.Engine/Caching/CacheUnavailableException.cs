namespace CellPainting.Engine.Caching;

/// <summary>The cache store could not answer (unreachable, refused, timed out): the build goes on without it.</summary>
public sealed class CacheUnavailableException : Exception
{
    public CacheUnavailableException(string message)
        : base(message)
    {
    }

    public CacheUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
