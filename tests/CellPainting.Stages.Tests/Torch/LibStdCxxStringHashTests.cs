using System.Text;
using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Tests.Torch;

public sealed class LibStdCxxStringHashTests
{
    // Values printed by std::hash<std::string>{} from g++ 12 / libstdc++ on x86-64; the inputs cover an
    // empty string, tails of 1, 3 and 7 bytes, and one and five whole 8-byte words.
    [TestCase("", 6142509188972423790UL)]
    [TestCase("a", 4993892634952068459UL)]
    [TestCase("storage", 15550872211904242098UL)]
    [TestCase("123456789", 12315982496267331008UL)]
    [TestCase("The quick brown fox jumps over the lazy dog", 15910076551593770101UL)]
    [TestCase("data.pkl", 4941642132189851806UL)]
    [TestCase(".storage_alignment", 6538796466453296957UL)]
    public void The_hash_equals_what_libstdcxx_std_hash_gives(string text, ulong expected) =>
        Assert.That(LibStdCxxStringHash.Hash(Encoding.UTF8.GetBytes(text)), Is.EqualTo(expected));
}
