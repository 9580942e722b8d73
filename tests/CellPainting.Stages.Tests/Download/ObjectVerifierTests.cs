using System.Security.Cryptography;
using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class ObjectVerifierTests
{
    private static readonly byte[] Body = "fluorescence"u8.ToArray();
    private static readonly string BodyMd5 = Convert.ToHexStringLower(MD5.HashData(Body));

    [Test]
    public void QuotesAreStrippedFromETags() =>
        Assert.That(ObjectVerifier.NormalizeETag("\"064759b3a850dc351b357116b3e7b32d\""), Is.EqualTo("064759b3a850dc351b357116b3e7b32d"));

    [TestCase("67212e3cbdaa25de511f318cdd0503dc-3", true)]
    [TestCase("064759b3a850dc351b357116b3e7b32d", false)]
    public void AnETagWithAPartCountSuffixIsMultipart(string etag, bool multipart) =>
        Assert.That(ObjectVerifier.IsMultipart(etag), Is.EqualTo(multipart));

    [Test]
    public void ACompleteSinglePartBodyWhoseMd5EqualsTheETagIsIntact() =>
        Assert.DoesNotThrow(() => ObjectVerifier.EnsureIntact("k", BodyMd5, Body.Length, Body.Length, Body.Length, MD5.HashData(Body)));

    [Test]
    public void ASinglePartBodyWithAnotherMd5IsRejected()
    {
        var other = MD5.HashData("brightfield"u8);

        var error = Assert.Throws<ObjectIntegrityException>(() => ObjectVerifier.EnsureIntact("k", BodyMd5, Body.Length, Body.Length, Body.Length, other));

        Assert.That(error.Message, Does.Contain("MD5 mismatch for 'k'"));
    }

    [Test]
    public void ABodyShorterThanItsContentLengthIsRejectedAsTruncated()
    {
        var error = Assert.Throws<ObjectIntegrityException>(() => ObjectVerifier.EnsureIntact("k", BodyMd5, Body.Length, Body.Length, Body.Length - 1, MD5.HashData(Body)));

        Assert.That(error.Message, Does.Contain("Truncated body for 'k'"));
    }

    [Test]
    public void ABodyOfAnotherSizeThanListedIsRejected()
    {
        var error = Assert.Throws<ObjectIntegrityException>(() => ObjectVerifier.EnsureIntact("k", BodyMd5, Body.Length + 5, Body.Length, Body.Length, MD5.HashData(Body)));

        Assert.That(error.Message, Does.Contain("Size mismatch for 'k'"));
    }

    [Test]
    public void AMultipartBodyIsCheckedBySizeOnlyBecauseItsETagIsNotABodyMd5()
    {
        Assert.DoesNotThrow(() => ObjectVerifier.EnsureIntact("k", "67212e3cbdaa25de511f318cdd0503dc-3", Body.Length, Body.Length, Body.Length, []));
        Assert.Throws<ObjectIntegrityException>(() => ObjectVerifier.EnsureIntact("k", "67212e3cbdaa25de511f318cdd0503dc-3", Body.Length, Body.Length, Body.Length - 1, []));
    }
}
