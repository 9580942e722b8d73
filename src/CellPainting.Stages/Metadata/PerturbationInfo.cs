namespace CellPainting.Stages.Metadata;

/// <summary>
/// What is in one well, with the reference's field set (§10). Every string defaults to empty; a well the
/// metadata does not know is <see cref="Unknown"/>. <see cref="ProteinName"/>, <see cref="GoTerms"/>,
/// <see cref="CellLine"/> and <see cref="Moa"/> exist for parity and stay empty with the CPJUMP1 files.
/// </summary>
public sealed record PerturbationInfo
{
    public static PerturbationInfo Unknown { get; } = new();

    public PerturbationType PertType { get; init; } = PerturbationType.Unknown;
    public string BroadSample { get; init; } = "";
    public string PertIname { get; init; } = "";
    public string TargetList { get; init; } = "";
    public string Gene { get; init; } = "";
    public string Smiles { get; init; } = "";
    public string PubchemCid { get; init; } = "";
    public string Moa { get; init; } = "";
    public string ProteinName { get; init; } = "";
    public string GoTerms { get; init; } = "";
    public string CellLine { get; init; } = "";
    public string ControlType { get; init; } = "";
    public string TargetSequence { get; init; } = "";
    public string NegconControlType { get; init; } = "";

    /// <summary>The reference's <c>is_control_or_empty</c>: such wells are never put in a split.</summary>
    public bool IsControlOrEmpty =>
        PertType is PerturbationType.Negcon or PerturbationType.Poscon || BroadSample.Length == 0;
}
