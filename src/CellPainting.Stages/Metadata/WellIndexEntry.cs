namespace CellPainting.Stages.Metadata;

/// <summary>One well of a <see cref="WellIndex"/>.</summary>
/// <param name="Well">Well name, <c>A01</c>…<c>P24</c>.</param>
/// <param name="MetadataKey">The well's key in the metadata cache; null when the cache has no such well.</param>
/// <param name="PertType">The well's perturbation type (<see cref="PerturbationType.Unknown"/> without metadata).</param>
/// <param name="BroadSample">The well's broad_sample (empty for controls and wells without metadata).</param>
/// <param name="Sites">Site file names present for the well, in ordinal order (f01, f02, …).</param>
public sealed record WellIndexEntry(string Well, WellKey? MetadataKey, PerturbationType PertType, string BroadSample, IReadOnlyList<string> Sites);
