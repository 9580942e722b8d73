namespace CellPainting.Stages.Layouts;

/// <summary>
/// spora_io's fixed-grid tiling (its compute_tiling --grid rule) on an S×S site: top-left corners every <c>stride</c> pixels from 0 while inside the
/// image, row-major. A window crossing the right or bottom edge keeps its own top-left row/col (the reader pads it
/// with zeros) and is kept when the part inside the image is at least 1 − tolerance of the tile.
/// </summary>
public static class GridTiling
{
    public static IReadOnlyList<GridTile> Tiles(int imageSize, int tileSize, int stride, double tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var tiles = new List<GridTile>();
        for (int row = 0; row < imageSize; row += stride)
        {
            for (int col = 0; col < imageSize; col += stride)
            {
                long inside = (long)(Math.Min(imageSize, row + tileSize) - row) * (Math.Min(imageSize, col + tileSize) - col);
                double fraction = (double)inside / ((long)tileSize * tileSize);
                if (fraction >= 1 - tolerance)
                {
                    tiles.Add(new GridTile(tiles.Count, row, col, fraction));
                }
            }
        }

        return tiles;
    }
}
