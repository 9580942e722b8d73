using CellPainting.Engine.LockFiles;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class ManifestTableTests
{
    [Test]
    public void The_header_names_the_columns_and_rows_are_keyed_by_their_first_field()
    {
        ManifestTable table = ManifestTable.Parse("# item\tfingerprint\toutputs\nsite-01\tf1\tout=h1\nsite-02\tf2\tout=h2\n", "plate-A.tsv");

        Assert.Multiple(() =>
        {
            Assert.That(table.Columns, Is.EqualTo(new[] { "fingerprint", "outputs" }));
            Assert.That(table.Rows.Keys, Is.EqualTo(new[] { "site-01", "site-02" }));
            Assert.That(table.Rows["site-02"].Fields, Is.EqualTo(new[] { "f2", "out=h2" }));
            Assert.That(table.Rows["site-02"].Size, Is.Null);
            Assert.That(table.ColumnIndex("outputs"), Is.EqualTo(1));
            Assert.That(table.ColumnIndex("size"), Is.EqualTo(-1));
        });
    }

    [Test]
    public void A_size_column_gives_each_row_its_byte_count()
    {
        ManifestTable table = ManifestTable.Parse("# key\tetag\tsize\tsha256\na.tiff\te1\t1500\th1\n", "download/plate-A.tsv");

        Assert.That(table.Rows["a.tiff"].Size, Is.EqualTo(1500));
    }

    [TestCase("# item\tfingerprint\toutputs\nsite-01\tf1\n", "plate-A.tsv:2: expected 3 tab-separated fields, found 2.")]
    [TestCase("site-01\tf1\tout=h1\n", "plate-A.tsv:1: expected a header line '# id<TAB>column...'.")]
    [TestCase("# item\tfingerprint\toutputs\nsite-01\tf1\tout=h1\nsite-01\tf2\tout=h2\n", "plate-A.tsv:3: item 'site-01' is listed twice.")]
    [TestCase("# key\tetag\tsize\tsha256\na.tiff\te1\t15kB\th1\n", "plate-A.tsv:2: size '15kB' is not a byte count.")]
    public void A_malformed_manifest_is_an_error_naming_the_file_and_line(string content, string message)
    {
        var thrown = Assert.Throws<LockFileException>(() => ManifestTable.Parse(content, "plate-A.tsv"));

        Assert.That(thrown!.Message, Is.EqualTo(message));
    }
}
