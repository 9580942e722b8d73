namespace CellPainting.Engine.Journal;

/// <summary>
/// What the engine remembers of an item's last successful build. Input hashes replayed from the log are prefixes
/// (they only name which input changed; <see cref="Fingerprint"/> covers the full hashes).
/// </summary>
public sealed record BuildRecord(
    string ItemId,
    string Group,
    string Fingerprint,
    int RecipeVersion,
    string ParametersDigest,
    IReadOnlyList<HashedName> Inputs,
    IReadOnlyList<HashedName> Outputs)
{
    /// <summary>
    /// The <see cref="State.ItemStamps"/> digest of the item's files when its hashes were taken; null for a record of
    /// an older log, whose files' hashes come from the stat cache.
    /// </summary>
    public ulong? Stamps { get; init; }

    /// <summary>
    /// True when the record was made under the parameters of <paramref name="digest"/>. A record replayed from a file
    /// whose description of its parameters was damaged holds only the digest's prefix, which still tells them apart.
    /// </summary>
    public bool HasParameters(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return ParametersDigest.Length > 0 && digest.StartsWith(ParametersDigest, StringComparison.Ordinal);
    }
}
