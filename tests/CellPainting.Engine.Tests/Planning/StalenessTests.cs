using CellPainting.Engine.Planning;

namespace CellPainting.Engine.Tests.Planning;

public sealed class StalenessTests
{
    [Test]
    public void Only_reason_None_is_up_to_date()
    {
        Assert.That(Staleness.UpToDate.IsStale, Is.False);
        Assert.That(Enum.GetValues<StaleReason>().Where(reason => !new Staleness(reason, string.Empty).IsStale), Is.EqualTo(new[] { StaleReason.None }));
    }

    [Test]
    public void Every_reason_has_words_for_users()
    {
        string[] words = Enum.GetValues<StaleReason>().Select(reason => reason.Describe()).ToArray();

        Assert.That(words, Is.All.Not.Empty);
        Assert.That(words, Is.Unique);
    }

    [Test]
    public void A_verdict_reads_as_its_reason_and_detail()
    {
        Assert.That(new Staleness(StaleReason.InputChanged, "left modified").ToString(), Is.EqualTo("input changed: left modified"));
        Assert.That(new Staleness(StaleReason.ParamsChanged, string.Empty).ToString(), Is.EqualTo("params changed"));
    }
}
