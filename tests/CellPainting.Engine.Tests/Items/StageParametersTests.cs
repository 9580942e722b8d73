using CellPainting.Engine.Items;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Tests.Items;

public sealed class StageParametersTests
{
    private static StageParameters Of(params (string Key, string Value)[] pairs) =>
        new(pairs.Select(pair => KeyValuePair.Create(pair.Key, pair.Value)));

    [Test]
    public void The_canonical_text_is_one_sorted_key_value_line_per_parameter()
    {
        StageParameters parameters = Of(("sigma", "2.5"), ("Zeta", "z"), ("alpha", "1"));

        Assert.That(parameters.CanonicalText, Is.EqualTo("Zeta=z\nalpha=1\nsigma=2.5\n"));
        Assert.That(parameters.Digest, Is.EqualTo(ContentHash.OfText("Zeta=z\nalpha=1\nsigma=2.5\n")));
    }

    [Test]
    public void The_digest_does_not_depend_on_the_order_parameters_are_given_in()
    {
        Assert.That(Of(("a", "1"), ("b", "2")).Digest, Is.EqualTo(Of(("b", "2"), ("a", "1")).Digest));
    }

    [Test]
    public void Any_changed_value_changes_the_digest()
    {
        Assert.That(Of(("a", "1"), ("b", "2")).Digest, Is.Not.EqualTo(Of(("a", "1"), ("b", "3")).Digest));
    }

    [Test]
    public void No_parameters_have_empty_canonical_text()
    {
        Assert.That(StageParameters.Empty.CanonicalText, Is.Empty);
        Assert.That(StageParameters.Empty.Digest, Is.EqualTo(ContentHash.OfText(string.Empty)));
    }

    [TestCase("a=b", "1")]
    [TestCase("a\nb", "1")]
    [TestCase("a", "1\n2")]
    public void Keys_or_values_that_would_make_the_canonical_text_ambiguous_are_refused(string key, string value)
    {
        Assert.Throws<ArgumentException>(() => Of((key, value)));
    }

    [Test]
    public void A_key_given_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Of(("a", "1"), ("a", "2")));
    }
}
