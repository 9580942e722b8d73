namespace CellPainting.Stages.Metadata;

/// <summary>The reference's <c>_classify_pert_type</c> and <c>_build_info</c> (§10): platemap row + external tables → <see cref="PerturbationInfo"/>.</summary>
internal static class PerturbationClassifier
{
    /// <summary>
    /// Order matters and follows the reference: the row's own control_type, then pert_type or an empty
    /// broad_sample (DMSO / empty wells), then membership of the compound, CRISPR and ORF tables, then the
    /// <c>BRD-</c> prefix of compound ids.
    /// </summary>
    public static PerturbationType Classify(PlatemapWell well, ExternalMetadataTables tables)
    {
        var controlType = well.ControlType.ToLowerInvariant();
        if (controlType.Contains("negcon", StringComparison.Ordinal))
        {
            return PerturbationType.Negcon;
        }

        if (controlType.Contains("poscon", StringComparison.Ordinal))
        {
            return PerturbationType.Poscon;
        }

        if (well.PertType.ToLowerInvariant() == "control" || well.BroadSample.Length == 0)
        {
            return PerturbationType.Negcon;
        }

        if (tables.Compound.Contains(well.BroadSample))
        {
            return PerturbationType.Compound;
        }

        if (tables.Crispr.Contains(well.BroadSample))
        {
            return PerturbationType.Crispr;
        }

        if (tables.Orf.Contains(well.BroadSample))
        {
            return PerturbationType.Orf;
        }

        return well.BroadSample.StartsWith("BRD-", StringComparison.Ordinal) ? PerturbationType.Compound : PerturbationType.Unknown;
    }

    /// <summary>Fills the fields of the well's type from its table row, when the id is in the table of that type.</summary>
    public static PerturbationInfo Build(PlatemapWell well, ExternalMetadataTables tables)
    {
        var type = Classify(well, tables);
        var info = new PerturbationInfo { PertType = type, BroadSample = well.BroadSample, ControlType = well.ControlType };
        switch (type)
        {
            case PerturbationType.Compound when tables.Compound.TryGetRow(well.BroadSample, out var row):
                return info with
                {
                    PertIname = row.Get("pert_iname"),
                    // The _targets file's single `target` gene wins over its pipe list; an existing empty column does not fall through.
                    TargetList = row.Has("target") ? row.Get("target") : row.Has("target_list") ? row.Get("target_list") : row.Get("gene"),
                    Smiles = row.Get("smiles"),
                    PubchemCid = row.Get("pubchem_cid"),
                    Moa = row.Get("moa"),
                };
            case PerturbationType.Crispr when tables.Crispr.TryGetRow(well.BroadSample, out var row):
                return info with
                {
                    Gene = row.Get("gene"),
                    PertIname = row.Has("pert_iname") ? row.Get("pert_iname") : row.Get("gene"),
                    TargetSequence = row.Get("target_sequence"),
                    NegconControlType = row.Get("negcon_control_type"),
                };
            case PerturbationType.Orf when tables.Orf.TryGetRow(well.BroadSample, out var row):
                return info with
                {
                    Gene = row.Get("gene"),
                    PertIname = row.Has("pert_iname") ? row.Get("pert_iname") : row.Get("gene"),
                    NegconControlType = row.Get("negcon_control_type"),
                };
            default:
                return info;
        }
    }
}
