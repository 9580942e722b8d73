namespace CellPainting.Engine.Items;

/// <summary>A remote input's bytes as fetched, with the SHA-256 computed while they streamed in.</summary>
public sealed record RemoteBytes(byte[] Bytes, string Sha256);
