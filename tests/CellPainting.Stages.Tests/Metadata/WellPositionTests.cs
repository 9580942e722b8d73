using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class WellPositionTests
{
    [Test]
    public void APlateHas384WellsFromA01ToP24InOrdinalOrder()
    {
        Assert.That(WellPosition.All, Has.Count.EqualTo(384));
        Assert.That(WellPosition.All[0], Is.EqualTo("A01"));
        Assert.That(WellPosition.All[23], Is.EqualTo("A24"));
        Assert.That(WellPosition.All[^1], Is.EqualTo("P24"));
        Assert.That(WellPosition.All, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public void RowAndColumnCountFromOne()
    {
        Assert.That(WellPosition.FromRowColumn(1, 1), Is.EqualTo("A01"));
        Assert.That(WellPosition.FromRowColumn(16, 24), Is.EqualTo("P24"));
        Assert.That(() => WellPosition.FromRowColumn(17, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => WellPosition.FromRowColumn(1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void WellKeysSortByBarcodeThenWell()
    {
        WellKey[] keys = [new("B", "A01"), new("A", "B01"), new("A", "A02")];

        Assert.That(keys.Order(), Is.EqualTo(new WellKey[] { new("A", "A02"), new("A", "B01"), new("B", "A01") }));
        Assert.That(new WellKey("BR00116991", "A01").ToString(), Is.EqualTo("BR00116991/A01"));
    }
}
