namespace CellPainting.Engine.Caching;

/// <summary>One output an entry describes: its logical name, and the SHA-256 and size of the blob holding its bytes.</summary>
public readonly record struct CachedOutput(string Name, string Sha256, long Size);
