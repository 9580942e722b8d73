namespace CellPainting.Stages.Metadata;

/// <summary>
/// The reference's <c>generate_text</c> (§12): a prefix naming the perturbation, then each non-empty extra
/// field as <c>Label: value.</c>, joined by single spaces. Controls ignore the level. Values are used as
/// they are (no escaping, no trimming), so an empty name still yields its prefix.
/// </summary>
public static class PerturbationText
{
    public static string Generate(PerturbationInfo info, TextLevel level)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info.PertType switch
        {
            PerturbationType.Negcon => $"Negative control ({OrDefault(info.ControlType, "DMSO")}).",
            PerturbationType.Poscon => $"Positive control ({OrDefault(info.ControlType, "positive")}).",
            PerturbationType.Compound => Compose(
                $"Chemical perturbation: {info.PertIname}.",
                level,
                [("Target", info.TargetList)],
                [("Target", info.TargetList), ("Function", info.Moa), ("SMILES", info.Smiles)]),
            PerturbationType.Crispr => Compose(
                $"CRISPR knockout of {info.Gene}.",
                level,
                [("Protein", info.ProteinName)],
                [("Protein", info.ProteinName), ("Function", info.Moa), ("GO terms", info.GoTerms)]),
            PerturbationType.Orf => Compose(
                $"ORF overexpression of {info.Gene}.",
                level,
                [("Protein", info.ProteinName)],
                [("Protein", info.ProteinName), ("Function", info.Moa)]),
            _ => $"Unknown perturbation: {info.BroadSample}.",
        };
    }

    private static string OrDefault(string value, string fallback) => value.Length > 0 ? value : fallback;

    private static string Compose(
        string prefix,
        TextLevel level,
        (string Label, string Value)[] targetExtras,
        (string Label, string Value)[] fullExtras)
    {
        var extras = level switch
        {
            TextLevel.NameOnly => [],
            TextLevel.Full => fullExtras,
            _ => targetExtras,
        };
        return string.Join(' ', extras.Where(e => e.Value.Length > 0).Select(e => $"{e.Label}: {e.Value}.").Prepend(prefix));
    }
}
