using CellPainting.Stages.Layouts;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class GridTilingTests
{
    [Test]
    public void Tiles_that_divide_the_site_cover_it_row_major_without_edge_windows()
    {
        IReadOnlyList<GridTile> tiles = GridTiling.Tiles(448, 224, 224, tolerance: 0);

        Assert.That(tiles.Select(tile => (tile.Id, tile.Row, tile.Col)), Is.EqualTo(new[] { (0, 0, 0), (1, 0, 224), (2, 224, 0), (3, 224, 224) }));
    }

    [Test]
    public void Edge_windows_keep_their_top_left_corner_and_are_kept_when_enough_of_them_is_inside()
    {
        // 384 px, 224 tiles: the windows at 224 have 160/224 = 0.714 of a side inside, the corner one 0.51 of its area.
        IReadOnlyList<GridTile> strict = GridTiling.Tiles(384, 224, 224, tolerance: 0);
        IReadOnlyList<GridTile> edges = GridTiling.Tiles(384, 224, 224, tolerance: 0.3);
        IReadOnlyList<GridTile> all = GridTiling.Tiles(384, 224, 224, tolerance: 0.5);

        Assert.That(strict.Select(tile => (tile.Row, tile.Col)), Is.EqualTo(new[] { (0, 0) }));
        Assert.That(edges.Select(tile => (tile.Row, tile.Col)), Is.EqualTo(new[] { (0, 0), (0, 224), (224, 0) }));
        Assert.That(all.Select(tile => (tile.Id, tile.Row, tile.Col)), Is.EqualTo(new[] { (0, 0, 0), (1, 0, 224), (2, 224, 0), (3, 224, 224) }));
        Assert.That(all[3].InsideFraction, Is.EqualTo(160.0 * 160 / (224 * 224)));
    }

    [Test]
    public void A_stride_smaller_than_the_tile_overlaps_windows()
    {
        IReadOnlyList<GridTile> tiles = GridTiling.Tiles(64, 32, 16, tolerance: 0);

        Assert.That(tiles.Select(tile => (tile.Row, tile.Col)), Is.EqualTo(new[] { (0, 0), (0, 16), (0, 32), (16, 0), (16, 16), (16, 32), (32, 0), (32, 16), (32, 32) }));
    }

    [Test]
    public void A_tile_larger_than_the_site_is_one_padded_window_when_the_tolerance_allows_it()
    {
        Assert.That(GridTiling.Tiles(32, 64, 64, tolerance: 0.5), Is.Empty);
        Assert.That(GridTiling.Tiles(32, 64, 64, tolerance: 0.75).Single(), Is.EqualTo(new GridTile(0, 0, 0, 0.25)));
    }
}
