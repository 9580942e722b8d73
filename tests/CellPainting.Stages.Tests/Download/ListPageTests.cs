using System.Text;
using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class ListPageTests
{
    private const string Bucket = "cellpainting-gallery";
    private const string Prefix = "cpg0000-jump-pilot/source_4/images/";

    [Test]
    public void ATruncatedPageGivesItsObjectsWithUnquotedETagsAndTheNextToken()
    {
        var page = Parse($"""
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>{Bucket}</Name><Prefix>{Prefix}</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
              <Contents><Key>{Prefix}a.tiff</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>&quot;064759b3a850dc351b357116b3e7b32d&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
              <Contents><Key>{Prefix}b.tiff</Key><ETag>"67212e3cbdaa25de511f318cdd0503dc-3"</ETag><Size>2469900</Size></Contents>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            </ListBucketResult>
            """);

        Assert.Multiple(() =>
        {
            Assert.That(page.Objects, Is.EqualTo(new[]
            {
                new ListedObject(Prefix + "a.tiff", "064759b3a850dc351b357116b3e7b32d", 12),
                new ListedObject(Prefix + "b.tiff", "67212e3cbdaa25de511f318cdd0503dc-3", 2469900),
            }));
            Assert.That(page.NextContinuationToken, Is.EqualTo("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="));
        });
    }

    [Test]
    public void TheLastPageHasNoNextToken()
    {
        var page = Parse($"<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>{Prefix}a.tiff</Key><ETag>\"e\"</ETag><Size>1</Size></Contents></ListBucketResult>");

        Assert.That(page.NextContinuationToken, Is.Null);
    }

    [Test]
    public void AnEmptyListingHasNoObjectsAndNoNextToken()
    {
        var page = Parse($"<ListBucketResult><Name>{Bucket}</Name><Prefix>{Prefix}</Prefix><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Objects, Is.Empty);
            Assert.That(page.NextContinuationToken, Is.Null);
        });
    }

    [Test]
    public void UrlEncodedKeysAreDecodedWhereverTheEncodingTypeStandsAsS3EncodesThem()
    {
        // S3 writes a space as '+' and a '+' as %2B; moto writes a space as %20.
        var page = Parse("""
            <ListBucketResult>
              <Contents><Key>plate+1/r01%2Bc01%20f01%C3%A9.tiff</Key><ETag>"e"</ETag><Size>1</Size></Contents>
              <EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>
            </ListBucketResult>
            """);

        Assert.That(page.Objects.Single().Key, Is.EqualTo("plate 1/r01+c01 f01é.tiff"));
    }

    [Test]
    public void KeysOfAListingWithoutEncodingTypeAreTakenAsTheyStand()
    {
        var page = Parse("<ListBucketResult><Contents><Key>a+b%20c.tiff</Key><ETag>\"e\"</ETag><Size>1</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>");

        Assert.That(page.Objects.Single().Key, Is.EqualTo("a+b%20c.tiff"));
    }

    [TestCase("<ListBucketResult><Contents><Key>a.tiff</Key>", TestName = "A document cut short is refused naming the bucket and prefix")]
    [TestCase("<html><body>Bad gateway</body></html>", TestName = "A document that is no listing is refused naming the bucket and prefix")]
    [TestCase("", TestName = "An empty body is refused naming the bucket and prefix")]
    [TestCase("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", TestName = "A truncated page without a next token is refused naming the bucket and prefix")]
    [TestCase("<ListBucketResult><Contents><Key>a.tiff</Key><Size>-1</Size></Contents></ListBucketResult>", TestName = "An object whose size is no number is refused naming the bucket and prefix")]
    [TestCase("<ListBucketResult><Contents><ETag>\"e\"</ETag><Size>1</Size></Contents></ListBucketResult>", TestName = "An object without a key is refused naming the bucket and prefix")]
    public void MalformedListingsAreRefusedNamingTheBucketAndPrefix(string xml)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(xml));

        Assert.That(error.Message, Does.StartWith($"The listing of s3://{Bucket}/{Prefix} is not a valid ListObjectsV2 response: "));
    }

    private static ListPage Parse(string xml) => ListPage.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), Bucket, Prefix);
}
