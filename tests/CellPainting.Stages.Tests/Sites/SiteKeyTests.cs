using CellPainting.Stages.Sites;

namespace CellPainting.Stages.Tests.Sites;

public sealed class SiteKeyTests
{
    [Test]
    public void A_site_file_name_gives_its_row_column_and_field()
    {
        Assert.That(SiteKey.TryParseFileName("r16c24f09.pt", ".pt", out SiteKey key), Is.True);
        Assert.That((key, key.Well), Is.EqualTo((new SiteKey(16, 24, 9), "P24")));
    }

    [TestCase("r17c01f01.pt")]
    [TestCase("r01c25f01.pt")]
    [TestCase("r01c01f01.npy")]
    [TestCase("r1c01f01.pt")]
    [TestCase("well_index.json")]
    [TestCase("r0ac01f01.pt")]
    public void Other_names_and_wells_outside_A01_P24_are_not_site_files(string name)
    {
        Assert.That(SiteKey.TryParseFileName(name, ".pt", out _), Is.False);
    }
}
