namespace CellPainting.Stages.Metadata;

/// <summary>
/// One platemap row. <see cref="ControlType"/> and <see cref="PertType"/> come from optional columns the
/// CPJUMP1 platemaps lack (then empty); classification reads them first, as the reference does.
/// </summary>
internal sealed record PlatemapWell(string Well, string BroadSample, string ControlType, string PertType, int Line);
