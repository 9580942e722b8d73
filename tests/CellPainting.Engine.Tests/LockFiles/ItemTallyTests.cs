using CellPainting.Engine.LockFiles;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class ItemTallyTests
{
    [TestCase("BR00117000", "BR00117000/r01c01f01", "BR00117000/r01c01f01")]
    [TestCase("BR00117000", "tensors/BR00117000", "tensors/BR00117000")]
    [TestCase("BR00117000", "BR00117000", "BR00117000")]
    [TestCase("BR00117000", "r01c01f01p01-ch1sk1fk1fl1.tiff", "BR00117000/r01c01f01p01-ch1sk1fk1fl1.tiff")]
    public void An_item_is_named_with_its_group_only_when_its_id_does_not_already_name_it(string group, string itemId, string shown)
    {
        var tally = new ItemTally();

        tally.Add(group, itemId, size: null, []);

        Assert.That(tally.ToChanges().First, Is.EqualTo(new[] { shown }));
    }
}
