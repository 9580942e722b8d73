using System.Text;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class ItemManifestTests
{
    private static readonly string FingerprintOne = ContentHash.OfText("fingerprint 1");
    private static readonly string FingerprintTwo = ContentHash.OfText("fingerprint 2");

    private static BuildRecord Record(string itemId, string fingerprint, params HashedName[] outputs) =>
        new(itemId, "plate-A", fingerprint, 1, ContentHash.OfText("params"), [new HashedName("in", ContentHash.OfText(itemId))], outputs);

    [Test]
    public void A_manifest_is_a_header_and_one_sorted_line_per_item_with_its_outputs_in_declared_order()
    {
        BuildRecord[] records =
        [
            Record("site-10", FingerprintTwo, new HashedName("mask", "m10"), new HashedName("cells", "c10")),
            Record("site-02", FingerprintOne, new HashedName("mask", "m02"), new HashedName("cells", "c02")),
            Record("site-1", FingerprintOne),
        ];

        byte[] manifest = ItemManifest.Serialize(records);

        string expected =
            "# item\tfingerprint\toutputs\n" +
            $"site-02\t{FingerprintOne}\tmask=m02,cells=c02\n" +
            $"site-1\t{FingerprintOne}\t\n" +
            $"site-10\t{FingerprintTwo}\tmask=m10,cells=c10\n";
        Assert.That(manifest, Is.EqualTo(Encoding.UTF8.GetBytes(expected)));
    }

    [Test]
    public void The_same_records_in_any_order_give_the_same_bytes()
    {
        BuildRecord a = Record("a", FingerprintOne, new HashedName("out", "1"));
        BuildRecord b = Record("b", FingerprintTwo, new HashedName("out", "2"));

        Assert.That(ItemManifest.Serialize([b, a]), Is.EqualTo(ItemManifest.Serialize([a, b])));
    }

    [Test]
    public void The_digest_is_the_prefixed_SHA_256_of_the_bytes()
    {
        byte[] manifest = ItemManifest.Serialize([Record("a", FingerprintOne)]);

        Assert.That(ItemManifest.DigestOf(manifest), Is.EqualTo("sha256:" + ContentHash.Of(manifest)));
    }

    [Test]
    public void Parse_reads_back_what_Serialize_wrote()
    {
        byte[] manifest = ItemManifest.Serialize(
        [
            Record("site-02", FingerprintTwo, new HashedName("mask", "m02"), new HashedName("cells", "c02")),
            Record("site-01", FingerprintOne),
        ]);

        IReadOnlyList<ManifestLine> lines = ItemManifest.Parse(Encoding.UTF8.GetString(manifest), "plate-A.tsv");

        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That((lines[0].ItemId, lines[0].Fingerprint), Is.EqualTo(("site-01", FingerprintOne)));
        Assert.That(lines[0].Outputs, Is.Empty);
        Assert.That((lines[1].ItemId, lines[1].Fingerprint), Is.EqualTo(("site-02", FingerprintTwo)));
        Assert.That(lines[1].Outputs, Is.EqualTo(new[] { new HashedName("mask", "m02"), new HashedName("cells", "c02") }));
    }

    [Test]
    public void Parse_skips_blank_and_comment_lines()
    {
        IReadOnlyList<ManifestLine> lines = ItemManifest.Parse("# header\n\n# note\nsite-01\tfp\tout=h\n", "plate-A.tsv");

        Assert.That(lines.Select(line => line.ItemId), Is.EqualTo(new[] { "site-01" }));
    }

    [TestCase("# item\tfingerprint\toutputs\nsite-01\tfp\tout=h\nsite-02\tfp\n", 3, 2)]
    [TestCase("site-01\tfp\tout=h\textra\n", 1, 4)]
    [TestCase("# item\tfingerprint\toutputs\n<<<<<<< HEAD\n", 2, 1)]
    public void Parse_errors_name_the_file_and_line(string content, int line, int fields)
    {
        var thrown = Assert.Throws<LockFileException>(() => ItemManifest.Parse(content, "data.lock.d/copy/plate-A.tsv"));

        Assert.That(thrown!.Message, Is.EqualTo($"data.lock.d/copy/plate-A.tsv:{line}: expected 3 tab-separated fields, found {fields}."));
    }
}
