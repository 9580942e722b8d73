using System.Text;
using CellPainting.Stages.Splits;

namespace CellPainting.Stages.Tests.Splits;

public sealed class SplitManifestCsvTests
{
    [Test]
    public void TheHeaderIsTheReferencesColumnsInOrder()
    {
        Assert.That(
            Encoding.UTF8.GetString(SplitManifestCsv.Serialize([])),
            Is.EqualTo("split_strategy,subset,Metadata_Plate,Metadata_Well,Metadata_broad_sample,Metadata_cell_line,Metadata_experiment_type,Metadata_timepoint,Metadata_timepoint_code,Metadata_target\n"));
    }

    [Test]
    public void FieldsAreQuotedOnlyWhenTheyHoldACommaQuoteOrLineBreak()
    {
        var row = new SplitManifestRow("pert_type", "train", "P", "A01", "a,b", "say \"x\"", "two\nlines", "24", "", "A|B");

        var lines = Encoding.UTF8.GetString(SplitManifestCsv.Serialize([row])).Split('\n', 2)[1];

        Assert.That(lines, Is.EqualTo("pert_type,train,P,A01,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\",24,,A|B\n"));
    }

    [Test]
    public void TheFileHasNoByteOrderMark()
    {
        Assert.That(SplitManifestCsv.Serialize([])[0], Is.EqualTo((byte)'s'));
    }
}
