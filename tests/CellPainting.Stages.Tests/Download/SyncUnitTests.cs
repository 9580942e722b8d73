using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class SyncUnitTests
{
    [TestCase("workspace/metadata/platemaps/2020_11_04_CPJUMP1")]
    [TestCase("/workspace/metadata/")]
    public void APrefixMustBeBucketRelativeAndEndWithASlash(string prefix) =>
        Assert.Throws<ArgumentException>(() => _ = new SyncUnit("u", prefix, "out"));

    [Test]
    public void WithoutAFilterEveryObjectIsIncludedAndTheFolderIsMadeAbsolute()
    {
        var unit = new SyncUnit("u", "p/", "out");

        Assert.That(unit.Include("anything/at/all"), Is.True);
        Assert.That(unit.LocalDirectory, Is.EqualTo(Path.GetFullPath("out")));
    }
}
