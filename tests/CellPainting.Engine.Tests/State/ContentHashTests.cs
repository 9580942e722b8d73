using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.State;

public sealed class ContentHashTests
{
    private const string Sha256OfAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Test]
    public void Hashes_are_lower_case_hex_SHA_256()
    {
        Assert.That(ContentHash.Of("abc"u8), Is.EqualTo(Sha256OfAbc));
    }

    [Test]
    public void Text_is_hashed_as_UTF_8()
    {
        Assert.That(ContentHash.OfText("é"), Is.EqualTo(ContentHash.Of([0xC3, 0xA9])));
    }

    [Test]
    public void A_file_hashes_like_its_bytes()
    {
        using var temp = new TempDirectory();
        string path = temp.Write("abc.txt", "abc");

        Assert.That(ContentHash.OfFile(path), Is.EqualTo(Sha256OfAbc));
    }
}
