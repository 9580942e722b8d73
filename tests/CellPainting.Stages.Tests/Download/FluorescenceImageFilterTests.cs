using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class FluorescenceImageFilterTests
{
    [TestCase("r01c01f01p01-ch1sk1fk1fl1.tiff")]
    [TestCase("r16c24f16p01-ch5sk1fk1fl1.tiff")]
    [TestCase("sub/r04c14f09p01-ch3sk1fk1fl1.tif")]
    public void FluorescenceChannelsOneToFiveAreIncluded(string key) =>
        Assert.That(FluorescenceImageFilter.Includes(key), Is.True);

    [TestCase("r01c01f01p01-ch6sk1fk1fl1.tiff")]
    [TestCase("r01c01f01p01-ch8sk1fk1fl1.tiff")]
    [TestCase("r01c01f01p01-ch01sk1fk1fl1.tiff")]
    [TestCase("Index.idx.xml")]
    [TestCase("r01c01f01p01-ch1sk1fk1fl1.tiff.partial")]
    [TestCase("r01c01f01p01-ch1sk1fk1fl1.tiff/other")]
    public void BrightfieldPaddedChannelsAndNonImageObjectsAreExcluded(string key) =>
        Assert.That(FluorescenceImageFilter.Includes(key), Is.False);
}
