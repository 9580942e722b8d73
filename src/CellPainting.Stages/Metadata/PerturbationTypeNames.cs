namespace CellPainting.Stages.Metadata;

/// <summary>The reference's string values of <see cref="PerturbationType"/>, used in every file this build writes.</summary>
public static class PerturbationTypeNames
{
    public static string ToName(this PerturbationType type) => type switch
    {
        PerturbationType.Compound => "compound",
        PerturbationType.Crispr => "crispr",
        PerturbationType.Orf => "orf",
        PerturbationType.Negcon => "negcon",
        PerturbationType.Poscon => "poscon",
        PerturbationType.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a perturbation type"),
    };

    public static bool TryParse(string name, out PerturbationType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var candidate in Enum.GetValues<PerturbationType>())
        {
            if (candidate.ToName() == name)
            {
                type = candidate;
                return true;
            }
        }

        type = PerturbationType.Unknown;
        return false;
    }
}
