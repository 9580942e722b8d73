namespace CellPainting.Engine.Journal;

/// <summary>What the engine remembers of an item's last successful build.</summary>
public sealed record BuildRecord(
    string ItemId,
    string Group,
    string Fingerprint,
    int RecipeVersion,
    string ParametersDigest,
    IReadOnlyList<HashedName> Inputs,
    IReadOnlyList<HashedName> Outputs);
