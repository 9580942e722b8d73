namespace CellPainting.Stages.Configuration;

/// <summary>
/// Where the build's trees go. <see cref="Primary"/> is the tree the tensors and features are written in
/// (<c>morphoclip</c>: the reference's <c>data/tensors</c>, <c>data/features</c>; the only one today). The Gallery and
/// spora_io trees are extra outputs derived from it (profiles, statistics, tile coordinates), never a second copy of
/// the tensors.
/// </summary>
public sealed record LayoutSettings(string Primary, GalleryLayoutSettings Gallery, SporaLayoutSettings Spora);
