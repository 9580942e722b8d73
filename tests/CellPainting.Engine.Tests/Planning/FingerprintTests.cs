using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;

namespace CellPainting.Engine.Tests.Planning;

public sealed class FingerprintTests
{
    private static readonly HashedName Left = new("left", ContentHash.OfText("left"));
    private static readonly HashedName Right = new("right", ContentHash.OfText("right"));

    private static CopyStage Stage() => new([]);

    [Test]
    public void A_fingerprint_is_a_lower_case_SHA_256()
    {
        Assert.That(Fingerprint.Of(Stage(), [Left, Right]), Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void A_fingerprint_hashes_the_stage_recipe_parameters_and_inputs_in_name_order_one_per_line()
    {
        string text = $"stage copy\nrecipe 1\nparams {StageParameters.Empty.Digest}\ninput left {Left.Hash}\ninput right {Right.Hash}\n";

        Assert.That(Fingerprint.Of(Stage(), [Right, Left]), Is.EqualTo(ContentHash.OfText(text)));
    }

    [Test]
    public void Inputs_with_the_same_name_keep_their_order()
    {
        HashedName otherLeft = Left with { Hash = ContentHash.OfText("other") };
        string text = $"stage copy\nrecipe 1\nparams {StageParameters.Empty.Digest}\ninput left {otherLeft.Hash}\ninput left {Left.Hash}\ninput right {Right.Hash}\n";

        Assert.That(Fingerprint.Of(Stage(), [Right, otherLeft, Left]), Is.EqualTo(ContentHash.OfText(text)));
    }

    [Test]
    public void The_same_stage_and_inputs_give_the_same_fingerprint_whatever_the_input_order()
    {
        Assert.That(Fingerprint.Of(Stage(), [Left, Right]), Is.EqualTo(Fingerprint.Of(Stage(), [Right, Left])));
    }

    [Test]
    public void Changing_an_input_hash_changes_the_fingerprint()
    {
        Assert.That(
            Fingerprint.Of(Stage(), [Left, Right]),
            Is.Not.EqualTo(Fingerprint.Of(Stage(), [Left, Right with { Hash = ContentHash.OfText("other") }])));
    }

    [Test]
    public void Renaming_an_input_changes_the_fingerprint()
    {
        Assert.That(Fingerprint.Of(Stage(), [Left]), Is.Not.EqualTo(Fingerprint.Of(Stage(), [Left with { Name = "renamed" }])));
    }

    [Test]
    public void The_stage_name_recipe_and_parameters_are_part_of_the_fingerprint()
    {
        string plain = Fingerprint.Of(Stage(), [Left]);

        Assert.Multiple(() =>
        {
            Assert.That(Fingerprint.Of(new CopyStage([]) { Name = "other" }, [Left]), Is.Not.EqualTo(plain), "name");
            Assert.That(Fingerprint.Of(new CopyStage([]) { RecipeVersion = 2 }, [Left]), Is.Not.EqualTo(plain), "recipe");
            Assert.That(
                Fingerprint.Of(new CopyStage([]) { Parameters = new StageParameters([KeyValuePair.Create("k", "v")]) }, [Left]),
                Is.Not.EqualTo(plain),
                "parameters");
        });
    }
}
