using System.Security.Cryptography;
using System.Text;
using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class ManifestDigestTests
{
    [Test]
    public void DigestIsTheSha256OfKeyETagSizeLinesSortedByKey()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("a.tiff\te1\t10\nb.tiff\te2-2\t20\n")));

        var digest = ManifestDigest.Compute([("b.tiff", "e2-2", 20), ("a.tiff", "e1", 10)]);

        Assert.That(digest, Is.EqualTo(expected));
    }

    [Test]
    public void AnyChangedETagChangesTheDigest() =>
        Assert.That(ManifestDigest.Compute([("a.tiff", "e1", 10)]), Is.Not.EqualTo(ManifestDigest.Compute([("a.tiff", "e9", 10)])));
}
