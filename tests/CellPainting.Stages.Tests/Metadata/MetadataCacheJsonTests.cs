using System.Security.Cryptography;
using System.Text;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Tests.Sample;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class MetadataCacheJsonTests
{
    private static MetadataCache RealExcerpt()
    {
        string[] wells = ["A01", "A02", "E01"];
        string[] plates = ["BR00116991", "BR00117000", "BR00117006"];
        var keys = plates.SelectMany(p => wells.Select(w => new WellKey(p, w))).ToHashSet();
        return new MetadataCache(CpJump1Sample.Batch, CpJump1Sample.Cache.Records.Where(r => keys.Contains(r.Key)));
    }

    [Test]
    public void AnExcerptOfTheRealCacheMatchesItsGoldenFileByteForByte()
    {
        GoldenFile.AssertMatches(Path.Combine("Metadata", "Golden", "metadata-cache-excerpt.json"), MetadataCacheJson.Serialize(RealExcerpt()));
    }

    // The pin was also reproduced by a Python csv.DictReader/json.dumps transcription of the reference (§10, §12).
    [Test]
    public void TheFullCacheOfAll51PlatesHasPinnedBytes()
    {
        var bytes = MetadataCacheJson.Serialize(CpJump1Sample.Cache);

        Assert.That(Convert.ToHexStringLower(SHA256.HashData(bytes)), Is.EqualTo("cf6d2ecc65b9575d5fe2e9b92e84e2299736713c2286a018dba4bbe0301738b9"));
    }

    [Test]
    public void RecordsAreWrittenSortedByBarcodeThenWellWhateverTheInputOrder()
    {
        var records = RealExcerpt().Records.Reverse();

        Assert.That(MetadataCacheJson.Serialize(new MetadataCache(CpJump1Sample.Batch, records)), Is.EqualTo(MetadataCacheJson.Serialize(RealExcerpt())));
    }

    [Test]
    public void TheFileIsUtf8WithLfLineEndsAndAFinalNewlineAndUnescapedSmiles()
    {
        var text = Encoding.UTF8.GetString(MetadataCacheJson.Serialize(RealExcerpt()));

        Assert.That(text, Does.Not.Contain("\r"));
        Assert.That(text, Does.EndWith("}\n"));
        Assert.That(text, Does.StartWith("{\n  \"format\": \"cellpainting-metadata-cache/1\",\n  \"batch\": \"2020_11_04_CPJUMP1\",\n"));
        Assert.That(text, Does.Contain("\"smiles\": \"CC(C)C(=O)OC(C)OC(=O)NCC1(CC(O)=O)CCCCC1\""));
    }

    [Test]
    public void ReadingTheFileBackGivesTheSameRecords()
    {
        var cache = CpJump1Sample.Cache;

        var read = MetadataCacheJson.Deserialize(MetadataCacheJson.Serialize(cache), "cache.json");

        Assert.That(read.Batch, Is.EqualTo(cache.Batch));
        Assert.That(read.Records, Is.EqualTo(cache.Records));
    }

    [Test]
    public void SpecialCharactersSurviveTheRoundTrip()
    {
        var info = new PerturbationInfo { PertType = PerturbationType.Compound, BroadSample = "BRD-\"q\"", PertIname = "tab\tnew\nline é ∆", Smiles = "[Na+].[Cl-]" };
        var cache = new MetadataCache("b", [new WellMetadata(new WellKey("P", "A01"), "map", info)]);

        var read = MetadataCacheJson.Deserialize(MetadataCacheJson.Serialize(cache), "cache.json");

        Assert.That(read.Records.Single().Info, Is.EqualTo(info));
    }

    [Test]
    public void AFileOfAnotherFormatIsRejectedNamingTheSource()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"format\": \"other/2\", \"batch\": \"b\", \"records\": []}");

        Assert.That(() => MetadataCacheJson.Deserialize(bytes, "old.json"), Throws.TypeOf<InvalidDataException>().With.Message.Contains("old.json").And.Message.Contains("other/2"));
    }

    [Test]
    public void ARecordMissingAFieldIsRejectedNamingTheRecord()
    {
        var text = Encoding.UTF8.GetString(MetadataCacheJson.Serialize(RealExcerpt())).Replace("\"gene\": \"HIF1A\",", "", StringComparison.Ordinal);

        Assert.That(() => MetadataCacheJson.Deserialize(Encoding.UTF8.GetBytes(text), "c.json"), Throws.TypeOf<InvalidDataException>().With.Message.EqualTo("c.json: record 3: 'gene' is missing or not a string"));
    }

    [Test]
    public void BrokenJsonIsRejected()
    {
        Assert.That(() => MetadataCacheJson.Deserialize("{\"format\":"u8, "c.json"), Throws.TypeOf<InvalidDataException>().With.Message.StartsWith("c.json: not valid JSON"));
    }
}
