using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class SiteTensorTests
{
    [Test]
    public void A_site_tensor_holds_five_planes_of_the_given_size()
    {
        var site = new SiteTensor("P1/r01c01f01", new float[5 * 16], 4);

        Assert.That((site.SiteId, site.Size, site.Pixels.Length), Is.EqualTo(("P1/r01c01f01", 4, 80)));
    }

    [Test]
    public void Pixels_that_are_not_five_planes_of_the_given_size_are_rejected()
    {
        Assert.That(() => new SiteTensor("P1/r01c01f01", new float[3 * 16], 4), Throws.ArgumentException.With.Message.Contains("80 floats, got 48"));
    }
}
