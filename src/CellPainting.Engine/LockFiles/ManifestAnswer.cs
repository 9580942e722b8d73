namespace CellPainting.Engine.LockFiles;

/// <summary>What one place answered for one manifest: the bytes it holds (maybe not the ones the lock names), none, or that it could not be reached.</summary>
public sealed record ManifestAnswer(string Place, byte[]? Content, string? Unreachable)
{
    /// <summary>How a miss message shows this answer, given the digest the lock records.</summary>
    public string Describe(string digest) =>
        Unreachable is not null ? $"unreachable: {Unreachable}"
        : Content is null ? "missing"
        : $"has digest {ItemManifest.DigestOf(Content)}, not {digest}";
}
