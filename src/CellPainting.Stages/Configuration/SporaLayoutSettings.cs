namespace CellPainting.Stages.Configuration;

/// <summary>
/// The spora_io tree, one dataset per plate: <c>&lt;Root&gt;/&lt;barcode&gt;/cellpainting/&lt;mpp&gt;mpp/standardization/&lt;spec&gt;/</c>
/// and <c>&lt;Root&gt;/&lt;barcode&gt;/tiling/&lt;mpp&gt;mpp/grid_stride&lt;stride&gt;/&lt;size&gt;_tile_*.parquet</c>, computed from the tensors.
/// </summary>
/// <param name="ImageMpp">Microns per pixel of the raw images; null: each plate's <c>Images/Index.idx.xml</c> (<c>ImageResolutionX</c>).</param>
/// <param name="ImageSize">Raw image width in pixels with <see cref="ImageMpp"/> (the XML's <c>ImageSizeX</c> otherwise): the tensors' mpp is ImageMpp × ImageSize / tensors.size.</param>
/// <param name="Standardization">Spec names: <c>identity</c>, <c>quantile_clipping[_log1p]/uq_&lt;q&gt;_image|global</c>.</param>
/// <param name="TileSizes">Square tile sides in tensor pixels.</param>
/// <param name="TileStride">Grid stride in pixels; null: each tile size.</param>
/// <param name="TileTolerance">Largest fraction of a grid tile allowed outside the image (the padded part): spora_io's grid rule.</param>
public sealed record SporaLayoutSettings(
    string Root,
    double? ImageMpp,
    int ImageSize,
    IReadOnlyList<string> Standardization,
    IReadOnlyList<int> TileSizes,
    int? TileStride,
    double TileTolerance);
