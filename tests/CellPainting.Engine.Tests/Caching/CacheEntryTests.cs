using System.Text;
using CellPainting.Engine.Caching;

namespace CellPainting.Engine.Tests.Caching;

public sealed class CacheEntryTests
{
    private static readonly string Fingerprint = new('a', 64);
    private static readonly string Digest = new('b', 64);
    private static readonly string Blob = new('c', 64);

    private static CacheEntry Entry() => new(
        "BR00116991/r01c01f01",
        Fingerprint,
        "tensors",
        3,
        Digest,
        new Dictionary<string, string> { ["size"] = "224", ["channels"] = "1-5" },
        [new CachedOutput("tensor", Blob, 602_112)]);

    [Test]
    public void An_entry_is_written_as_fixed_lines_with_parameters_sorted_and_outputs_in_order()
    {
        Assert.That(Encoding.UTF8.GetString(Entry().ToBytes()), Is.EqualTo(
            "cpbuild-cache-entry 1\n" +
            "item\tBR00116991/r01c01f01\n" +
            $"fingerprint\t{Fingerprint}\n" +
            "stage\ttensors\n" +
            "recipe\t3\n" +
            $"params\t{Digest}\n" +
            "param\tchannels\t1-5\n" +
            "param\tsize\t224\n" +
            $"output\ttensor\t{Blob}\t602112\n"));
    }

    [Test]
    public void An_entry_reads_back_as_written()
    {
        CacheEntry read = CacheEntry.Parse(Entry().ToBytes());

        Assert.Multiple(() =>
        {
            Assert.That(read.ItemId, Is.EqualTo("BR00116991/r01c01f01"));
            Assert.That(read.Fingerprint, Is.EqualTo(Fingerprint));
            Assert.That(read.Stage, Is.EqualTo("tensors"));
            Assert.That(read.RecipeVersion, Is.EqualTo(3));
            Assert.That(read.ParametersDigest, Is.EqualTo(Digest));
            Assert.That(read.Parameters, Is.EquivalentTo(Entry().Parameters));
            Assert.That(read.Outputs, Is.EqualTo(Entry().Outputs));
            Assert.That(read.ToBytes(), Is.EqualTo(Entry().ToBytes()));
        });
    }

    [Test]
    public void A_truncated_entry_is_refused()
    {
        byte[] whole = Entry().ToBytes();

        Assert.Multiple(() =>
        {
            Assert.That(() => CacheEntry.Parse(whole[..^1]), Throws.TypeOf<FormatException>());
            Assert.That(() => CacheEntry.Parse(whole[..^20]), Throws.TypeOf<FormatException>());
            Assert.That(() => CacheEntry.Parse(whole[..40]), Throws.TypeOf<FormatException>());
        });
    }

    [TestCase("output\ttensor\tnothex\t12\n")]
    [TestCase("output\ttensor\t" + "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc" + "\t-1\n")]
    [TestCase("surprise\tline\n")]
    public void A_line_out_of_the_format_is_refused(string line)
    {
        byte[] bad = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Entry().ToBytes()) + line);

        Assert.That(() => CacheEntry.Parse(bad), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void An_entry_without_outputs_is_refused()
    {
        byte[] bare = new CacheEntry("x", Fingerprint, "tensors", 3, Digest, new Dictionary<string, string>(), []).ToBytes();

        Assert.That(() => CacheEntry.Parse(bare), Throws.TypeOf<FormatException>().With.Message.Contains("output"));
    }
}
