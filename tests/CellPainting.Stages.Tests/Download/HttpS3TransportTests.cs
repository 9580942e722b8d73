using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class HttpS3TransportTests
{
    [Test]
    public void ACustomEndpointIsAddressedPathStyle() =>
        Assert.That(
            HttpS3Transport.BucketUrl(new S3SyncOptions { Bucket = "bench-gallery", EndpointUrl = new Uri("http://127.0.0.1:9000/") }),
            Is.EqualTo("http://127.0.0.1:9000/bench-gallery/"));

    [Test]
    public void AwsIsAddressedByTheBucketsRegionalVirtualHost() =>
        Assert.That(
            HttpS3Transport.BucketUrl(new S3SyncOptions { Bucket = "cellpainting-gallery", Region = "us-east-1" }),
            Is.EqualTo("https://cellpainting-gallery.s3.us-east-1.amazonaws.com/"));

    [Test]
    public void AChinaRegionIsAddressedUnderItsOwnDomain() =>
        Assert.That(
            HttpS3Transport.BucketUrl(new S3SyncOptions { Bucket = "lab-images", Region = "cn-north-1" }),
            Is.EqualTo("https://lab-images.s3.cn-north-1.amazonaws.com.cn/"));

    [TestCase("lab.images", TestName = "A bucket with dots is addressed path-style on AWS (no wildcard certificate covers it)")]
    [TestCase("Legacy_Bucket", TestName = "A legacy bucket name that is no host name is addressed path-style on AWS")]
    public void BucketsThatAreNoHostNamesAreAddressedPathStyleOnAws(string bucket) =>
        Assert.That(
            HttpS3Transport.BucketUrl(new S3SyncOptions { Bucket = bucket, Region = "eu-west-1" }),
            Is.EqualTo($"https://s3.eu-west-1.amazonaws.com/{bucket}/"));

    [Test]
    public void KeysArePercentEncodedSegmentBySegmentKeepingTheirSlashes() =>
        Assert.That(
            HttpS3Transport.EscapeKey("images/plate 1/r01+c01 f01é?.tiff"),
            Is.EqualTo("images/plate%201/r01%2Bc01%20f01%C3%A9%3F.tiff"));
}
