using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Tests.Configuration;

public sealed class LayoutReaderTests
{
    private const string Root = "/repo";

    private static BuildConfig Parse(string layout) =>
        ConfigLoader.Parse($"cpjump:\n  batch: \"b\"\n  layout:\n{layout}", "layout.yml", Root);

    [Test]
    public void Without_a_layout_section_the_morphoclip_tree_is_primary_and_the_extra_trees_have_their_defaults()
    {
        LayoutSettings layout = ConfigLoader.Parse("cpjump:\n  batch: \"b\"\n", "none.yml", Root).Layout;

        Assert.Multiple(() =>
        {
            Assert.That(layout.Primary, Is.EqualTo("morphoclip"));
            Assert.That(layout.Gallery, Is.EqualTo(new GalleryLayoutSettings("/repo/data/gallery", "source_4", null)));
            Assert.That(layout.Spora.Root, Is.EqualTo("/repo/data/spora_io"));
            Assert.That(layout.Spora.ImageMpp, Is.Null);
            Assert.That(layout.Spora.ImageSize, Is.EqualTo(1080));
            Assert.That(layout.Spora.Standardization, Is.EqualTo(new[] { "identity", "quantile_clipping/uq_0.99_image", "quantile_clipping/uq_0.99_global" }));
            Assert.That(layout.Spora.TileSizes, Is.EqualTo(new[] { 224 }));
            Assert.That((layout.Spora.TileStride, layout.Spora.TileTolerance), Is.EqualTo(((int?)null, 0.0)));
        });
    }

    [Test]
    public void Every_key_is_read()
    {
        LayoutSettings layout = Parse("""
                primary: morphoclip
                gallery: { root: "out/cpg", source: "source_x", repository: "https://github.com/o/r/" }
                spora_io: { root: "out/spora", image_mpp: 0.598, image_size: 2160, standardization: ["quantile_clipping_log1p/uq_0.9_global"], tile_sizes: [128, 256], tile_stride: 64, tile_tolerance: 0.25 }
            """ + "\n").Layout;

        Assert.That(layout.Gallery, Is.EqualTo(new GalleryLayoutSettings("/repo/out/cpg", "source_x", "https://github.com/o/r")));
        Assert.That(layout.Spora with { Standardization = [], TileSizes = [] }, Is.EqualTo(new SporaLayoutSettings("/repo/out/spora", 0.598, 2160, [], [], 64, 0.25)));
        Assert.That(layout.Spora.Standardization, Is.EqualTo(new[] { "quantile_clipping_log1p/uq_0.9_global" }));
        Assert.That(layout.Spora.TileSizes, Is.EqualTo(new[] { 128, 256 }));
    }

    [TestCase("    primary: gallery\n", "layout.yml:4: cpjump.layout.primary: expected one of morphoclip, found 'gallery'")]
    [TestCase("    spora_io:\n      standardization: [\"zscore\"]\n", "layout.yml:5: cpjump.layout.spora_io.standardization: 'zscore': expected identity")]
    [TestCase("    spora_io:\n      tile_sizes: [224, big]\n", "layout.yml:5: cpjump.layout.spora_io.tile_sizes: every entry must be an integer of at least 1, found 'big'")]
    [TestCase("    spora_io:\n      tile_tolerance: 2\n", "layout.yml:5: cpjump.layout.spora_io.tile_tolerance: must be between 0 and 1, found 2")]
    [TestCase("    gallery:\n      url: x\n", "layout.yml:5: unknown key cpjump.layout.gallery.url")]
    [TestCase("    tiles: 224\n", "layout.yml:4: unknown key cpjump.layout.tiles")]
    public void A_wrong_layout_value_or_key_names_the_file_line_and_key(string layout, string message)
    {
        Assert.That(() => Parse(layout), Throws.TypeOf<ConfigException>().With.Message.StartsWith(message));
    }
}
