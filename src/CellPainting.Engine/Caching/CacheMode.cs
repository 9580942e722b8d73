namespace CellPainting.Engine.Caching;

/// <summary>How a build uses the shared cache: not at all, to fetch what others built, or also to upload what it builds.</summary>
public enum CacheMode
{
    Off,
    Read,
    ReadWrite,
}
