using System.Globalization;
using CellPainting.Engine.Items;
using CellPainting.Engine.Verification;

namespace CellPainting.Engine.Tests.Verification;

public sealed class SampleChoiceTests
{
    private static readonly WorkItem[] Items = Enumerable.Range(1, 100)
        .Select(index => new WorkItem(string.Create(CultureInfo.InvariantCulture, $"site-{index:D3}"), "plate", [], []))
        .ToArray();

    private static string[] Ids(IEnumerable<WorkItem> items) => items.Select(item => item.Id).ToArray();

    [Test]
    public void The_same_seed_picks_the_same_items_in_id_order()
    {
        string[] first = Ids(SampleChoice.Choose(Items, 10, seed: 3));
        string[] second = Ids(SampleChoice.Choose(Items.Reverse(), 10, seed: 3));

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(first.Distinct().Count(), Is.EqualTo(10));
    }

    [Test]
    public void Another_seed_picks_other_items()
    {
        Assert.That(Ids(SampleChoice.Choose(Items, 10, seed: 4)), Is.Not.EqualTo(Ids(SampleChoice.Choose(Items, 10, seed: 3))));
    }

    [Test]
    public void Chosen_items_stay_chosen_when_unchosen_ones_leave_the_plan()
    {
        string[] chosen = Ids(SampleChoice.Choose(Items, 5, seed: 9));
        WorkItem[] fewer = Items.Where((item, index) => chosen.Contains(item.Id) || index % 2 == 0).ToArray();

        Assert.That(Ids(SampleChoice.Choose(fewer, 5, seed: 9)), Is.EqualTo(chosen));
    }

    [Test]
    public void Asking_for_more_items_than_there_are_gives_them_all()
    {
        Assert.That(Ids(SampleChoice.Choose(Items.Take(3), 10, seed: 1)), Is.EqualTo(new[] { "site-001", "site-002", "site-003" }));
    }
}
