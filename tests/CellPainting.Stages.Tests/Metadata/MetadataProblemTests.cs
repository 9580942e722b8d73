using CellPainting.Engine.Planning;
using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class MetadataProblemTests
{
    [Test]
    public void Errors_fail_the_item_one_per_line_and_warnings_are_left_out()
    {
        MetadataProblem[] problems =
        [
            MetadataProblem.Error("a.txt", 3, "duplicate well A01 (first at line 2)"),
            MetadataProblem.Warning("a.txt", 5, "kept as compound"),
            MetadataProblem.Error("b.csv", null, "configured plate BR1 has no row"),
        ];

        var error = Assert.Throws<ItemFailedException>(() => MetadataProblem.ThrowIfAnyError(problems));

        Assert.That(error!.Message, Is.EqualTo($"a.txt:3: error: duplicate well A01 (first at line 2){Environment.NewLine}    b.csv: error: configured plate BR1 has no row"));
    }

    [Test]
    public void Warnings_alone_do_not_fail_the_item()
    {
        Assert.DoesNotThrow(() => MetadataProblem.ThrowIfAnyError([MetadataProblem.Warning(null, null, "plate BR1: well A01 has site files but no metadata")]));
    }
}
