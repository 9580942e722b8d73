using System.Text.RegularExpressions;

namespace CellPainting.Engine.LockFiles;

/// <summary>A group's manifest as a lock names it: the group, and the digest its bytes must have.</summary>
public readonly partial record struct ManifestRequest(GroupKey Key, string Digest)
{
    /// <summary>
    /// The digest's hex part, which names the manifest in local state and the cache. A digest of any other form
    /// (a hand edit) is refused here, before it can become part of a path or key.
    /// </summary>
    public string Sha256 => Sha256Digest().IsMatch(Digest)
        ? Digest["sha256:".Length..]
        : throw new LockFileException($"{Key.Target}/{Key.Group}: manifest digest '{Digest}' is not sha256:<64 lower-case hex digits>.");

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Digest();
}
