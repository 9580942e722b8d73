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
}
