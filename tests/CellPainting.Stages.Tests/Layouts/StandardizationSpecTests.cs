using CellPainting.Stages.Layouts;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class StandardizationSpecTests
{
    [Test]
    public void Spora_io_spec_names_parse_into_method_quantile_and_level()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StandardizationSpec.Parse("identity"), Is.EqualTo(new StandardizationSpec("identity", StandardizationMethod.Identity, 1, false)));
            Assert.That(StandardizationSpec.Parse("quantile_clipping/uq_0.99_image"), Is.EqualTo(new StandardizationSpec("quantile_clipping/uq_0.99_image", StandardizationMethod.QuantileClipping, 0.99, true)));
            Assert.That(StandardizationSpec.Parse("quantile_clipping_log1p/uq_0.995_global"), Is.EqualTo(new StandardizationSpec("quantile_clipping_log1p/uq_0.995_global", StandardizationMethod.QuantileClippingLog1p, 0.995, false)));
            Assert.That(StandardizationSpec.Parse("quantile_clipping/uq_0.99_image").IsImageLevel, Is.True);
            Assert.That(StandardizationSpec.Parse("identity").IsImageLevel, Is.False);
        });
    }

    [TestCase("quantile_clipping/uq_1.5_image", "not a number in (0, 1]")]
    [TestCase("quantile_clipping/uq_0.99_tile", "neither image nor global")]
    [TestCase("zscore", "expected identity")]
    [TestCase("quantile_clipping/lq_0.01_image", "expected identity")]
    public void A_malformed_spec_says_what_is_wrong(string name, string problem)
    {
        Assert.That(StandardizationSpec.Problem(name), Does.Contain(problem));
        Assert.Throws<FormatException>(() => StandardizationSpec.Parse(name));
    }
}
