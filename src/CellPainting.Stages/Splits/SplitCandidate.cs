using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Splits;

/// <summary>A dataset well in index order with what the strategies read about it.</summary>
/// <param name="Index">Position in the sorted dataset index.</param>
/// <param name="Key">Barcode and well.</param>
/// <param name="Info">Its metadata; <see cref="PerturbationInfo.Unknown"/> when the cache lacks the well.</param>
/// <param name="Context">Its official context, when there is one.</param>
internal sealed record SplitCandidate(int Index, WellKey Key, PerturbationInfo Info, OfficialWellContext? Context);
