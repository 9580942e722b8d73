using CellPainting.Engine.Items;

namespace CellPainting.Engine.Tests.Items;

public sealed class WorkItemTests
{
    [TestCase("site\t1")]
    [TestCase("site\n1")]
    [TestCase("site\r1")]
    public void An_id_with_a_tab_or_line_break_is_refused_because_logs_and_manifests_are_tab_separated_lines(string id)
    {
        var thrown = Assert.Throws<ArgumentException>(() => new WorkItem(id, "plate", [], []));

        Assert.That(thrown!.ParamName, Is.EqualTo("id"));
    }

    [Test]
    public void An_empty_id_or_group_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new WorkItem(string.Empty, "plate", [], []));
        Assert.Throws<ArgumentException>(() => new WorkItem("site", string.Empty, [], []));
    }

    [Test]
    public void An_item_reads_as_its_id()
    {
        Assert.That(new WorkItem("plate1/A01/s1", "plate1", [], []).ToString(), Is.EqualTo("plate1/A01/s1"));
    }
}
