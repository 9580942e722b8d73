using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class PerturbationClassifierTests
{
    private static ExternalMetadataTable Table(string name, string tsv)
    {
        var problems = new List<MetadataProblem>();
        var table = ExternalMetadataTable.FromTable(DelimitedTableReader.Parse(tsv, '\t', name, problems), problems);
        Assert.That(problems, Is.Empty);
        return table;
    }

    private static readonly ExternalMetadataTables Tables = new(
        Table("compound.tsv", "broad_sample\tpert_iname\ttarget\ttarget_list\tsmiles\tpubchem_cid\nBRD-1\taspirin\tPTGS1\tPTGS1|PTGS2\tCC\t2244\nSHARED\tshared-compound\t\t\t\t\n"),
        Table("crispr.tsv", "broad_sample\tgene\ttarget_sequence\tnegcon_control_type\nBRDN1\tHIF1A\tTATG\t\nSHARED\tX\t\t\nNEG\t\tAAAA\tNO_SITE (0 zeros)\n"),
        Table("orf.tsv", "broad_sample\tgene\tpert_type\nccsb1\tKCNN1\ttrt\n"));

    private static PlatemapWell Well(string broadSample, string controlType = "", string pertType = "") => new("A01", broadSample, controlType, pertType, 2);

    [Test]
    public void TheRowsOwnControlTypeWinsOverTableMembership()
    {
        Assert.That(PerturbationClassifier.Classify(Well("BRD-1", controlType: "NegCon"), Tables), Is.EqualTo(PerturbationType.Negcon));
        Assert.That(PerturbationClassifier.Classify(Well("BRD-1", controlType: "poscon_cp"), Tables), Is.EqualTo(PerturbationType.Poscon));
        Assert.That(PerturbationClassifier.Classify(Well("BRD-1", pertType: "Control"), Tables), Is.EqualTo(PerturbationType.Negcon));
    }

    [Test]
    public void AnEmptyBroadSampleIsANegativeControl()
    {
        Assert.That(PerturbationClassifier.Classify(Well(""), Tables), Is.EqualTo(PerturbationType.Negcon));
    }

    [Test]
    public void TablesAreTriedInCompoundCrisprOrfOrder()
    {
        Assert.That(PerturbationClassifier.Classify(Well("SHARED"), Tables), Is.EqualTo(PerturbationType.Compound));
        Assert.That(PerturbationClassifier.Classify(Well("BRDN1"), Tables), Is.EqualTo(PerturbationType.Crispr));
        Assert.That(PerturbationClassifier.Classify(Well("ccsb1"), Tables), Is.EqualTo(PerturbationType.Orf));
    }

    [Test]
    public void AnIdInNoTableIsACompoundByItsBrdPrefixAndOtherwiseUnknown()
    {
        Assert.That(PerturbationClassifier.Classify(Well("BRD-K999"), Tables), Is.EqualTo(PerturbationType.Compound));
        Assert.That(PerturbationClassifier.Classify(Well("brd-k999"), Tables), Is.EqualTo(PerturbationType.Unknown));
    }

    [Test]
    public void ACompoundTakesItsTargetListFromTheTargetColumnWhenThereIsOne()
    {
        var info = PerturbationClassifier.Build(Well("BRD-1"), Tables);

        Assert.That(info, Is.EqualTo(new PerturbationInfo
        {
            PertType = PerturbationType.Compound,
            BroadSample = "BRD-1",
            PertIname = "aspirin",
            TargetList = "PTGS1",
            Smiles = "CC",
            PubchemCid = "2244",
        }));
    }

    [Test]
    public void AnExistingButEmptyTargetColumnDoesNotFallThroughToTargetList()
    {
        Assert.That(PerturbationClassifier.Build(Well("SHARED"), Tables).TargetList, Is.EqualTo(""));
    }

    [Test]
    public void WithoutATargetColumnTheTargetListOrElseTheGeneColumnIsUsed()
    {
        var listOnly = new ExternalMetadataTables(Table("c.tsv", "broad_sample\ttarget_list\nBRD-1\tA|B\n"), Tables.Crispr, Tables.Orf);
        var geneOnly = new ExternalMetadataTables(Table("c.tsv", "broad_sample\tgene\nBRD-1\tA\n"), Tables.Crispr, Tables.Orf);

        Assert.That(PerturbationClassifier.Build(Well("BRD-1"), listOnly).TargetList, Is.EqualTo("A|B"));
        Assert.That(PerturbationClassifier.Build(Well("BRD-1"), geneOnly).TargetList, Is.EqualTo("A"));
    }

    [Test]
    public void CrisprAndOrfWellsTakeGeneAsTheirNameWithoutAPertInameColumn()
    {
        var crispr = PerturbationClassifier.Build(Well("NEG"), Tables);
        var orf = PerturbationClassifier.Build(Well("ccsb1"), Tables);

        Assert.That(crispr, Is.EqualTo(new PerturbationInfo
        {
            PertType = PerturbationType.Crispr,
            BroadSample = "NEG",
            TargetSequence = "AAAA",
            NegconControlType = "NO_SITE (0 zeros)",
        }));
        Assert.That(orf, Is.EqualTo(new PerturbationInfo { PertType = PerturbationType.Orf, BroadSample = "ccsb1", Gene = "KCNN1", PertIname = "KCNN1" }));
    }

    [Test]
    public void ControlsKeepOnlyTheirIdAndControlType()
    {
        var info = PerturbationClassifier.Build(Well("BRD-1", controlType: "poscon_cp"), Tables);

        Assert.That(info, Is.EqualTo(new PerturbationInfo { PertType = PerturbationType.Poscon, BroadSample = "BRD-1", ControlType = "poscon_cp" }));
    }
}
