using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class SafeKeyPathTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "safe-key-root");

    [TestCase("r01c01f01p01-ch1sk1fk1fl1.tiff")]
    [TestCase("platemap/JUMP-Target-1_orf_platemap.txt")]
    [TestCase("a..b/..hidden/x.")]
    public void PlainRelativeKeysResolveBelowTheRoot(string key)
    {
        Assert.That(SafeKeyPath.TryResolve(Root, key, out var path, out var reason), Is.True, reason);
        Assert.That(path, Is.EqualTo(Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar))));
    }

    [TestCase("../escape.tiff", "'..' segment")]
    [TestCase("Images/../../escape.tiff", "'..' segment")]
    [TestCase("./x.tiff", "'.' segment")]
    [TestCase("/etc/passwd", "absolute")]
    [TestCase("a//b.tiff", "empty path segment")]
    [TestCase("a/b/", "empty path segment")]
    [TestCase("", "empty")]
    [TestCase("..\\..\\escape.tiff", "U+005C")]
    [TestCase("C:evil.tiff", "U+003A")]
    [TestCase("a\u2215..\u2215b", "U+2215")]
    [TestCase("a\u0000b", "control character")]
    [TestCase("a\nb", "control character")]
    public void KeysThatCouldLeaveTheRootAreRefusedWithAReasonNamingTheKey(string key, string expectedReason)
    {
        var resolved = SafeKeyPath.TryResolve(Root, key, out var path, out var reason);

        Assert.Multiple(() =>
        {
            Assert.That(resolved, Is.False);
            Assert.That(path, Is.Null);
            Assert.That(reason, Does.Contain($"'{key}'").And.Contain(expectedReason));
        });
    }

    [Test]
    public void ValidationAloneAcceptsASingleSegmentAndRefusesDotDot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SafeKeyPath.TryValidate("2020_11_04_CPJUMP1", out _), Is.True);
            Assert.That(SafeKeyPath.TryValidate("..", out var reason), Is.False);
            Assert.That(reason, Does.Contain("'..' segment"));
        });
    }
}
