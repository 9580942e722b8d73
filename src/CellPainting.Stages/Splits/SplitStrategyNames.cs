namespace CellPainting.Stages.Splits;

/// <summary>Config and file names of the strategies (the manifest goes to <c>data/splits/&lt;name&gt;.csv</c>).</summary>
public static class SplitStrategyNames
{
    /// <summary>The reference's default for <c>build_split_manifest</c>.</summary>
    public const SplitStrategy Default = SplitStrategy.Cpjump1OfficialRepresentation;

    public static string ToName(this SplitStrategy strategy) => strategy switch
    {
        SplitStrategy.PertType => "pert_type",
        SplitStrategy.Cpjump1OfficialRepresentation => "cpjump1_official_representation",
        SplitStrategy.Cpjump1OfficialGeneCompound => "cpjump1_official_gene_compound",
        SplitStrategy.CellclipCpjumpStyle => "cellclip_cpjump_style",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "not a split strategy"),
    };

    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones, as the reference's does.</exception>
    public static SplitStrategy Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var strategies = Enum.GetValues<SplitStrategy>();
        foreach (var strategy in strategies)
        {
            if (strategy.ToName() == name)
            {
                return strategy;
            }
        }

        var known = string.Join(", ", strategies.Select(s => s.ToName()).Order(StringComparer.Ordinal));
        throw new ArgumentException($"Unknown split strategy '{name}'. Known strategies: {known}", nameof(name));
    }
}
