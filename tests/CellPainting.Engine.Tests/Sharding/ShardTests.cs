using CellPainting.Engine.Sharding;

namespace CellPainting.Engine.Tests.Sharding;

public sealed class ShardTests
{
    [Test]
    public void K_of_N_parses_and_names_its_files()
    {
        Shard shard = Shard.Parse("2/4");

        Assert.That((shard.Index, shard.Count), Is.EqualTo((2, 4)));
        Assert.That(shard.Name, Is.EqualTo("shard-2-of-4"));
        Assert.That(shard.ToString(), Is.EqualTo("2/4"));
    }

    [TestCase("0/4", "expected K/N")]
    [TestCase("5/4", "shard 5 of 4 does not exist")]
    [TestCase("2", "expected K/N")]
    [TestCase("a/b", "expected K/N")]
    [TestCase("-1/4", "expected K/N")]
    [TestCase("1/4/2", "expected K/N")]
    [TestCase(" 1/4", "expected K/N")]
    [TestCase("1/0", "expected K/N")]
    public void A_bad_shard_is_an_error_quoting_the_value(string value, string message)
    {
        var thrown = Assert.Throws<ShardSpecException>(() => Shard.Parse(value));

        Assert.That(thrown!.Message, Does.StartWith("--shard: ").And.Contain(message).And.Contain($"'{value}'"));
    }
}
