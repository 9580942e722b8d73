using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class PerturbationTextTests
{
    private static readonly PerturbationInfo Compound = new()
    {
        PertType = PerturbationType.Compound,
        PertIname = "gabapentin-enacarbil",
        TargetList = "CACNB4",
        Smiles = "CC(C)C(=O)O",
    };

    [Test]
    public void ACompoundNamesItselfThenItsTargetThenItsSmilesAtFullLevel()
    {
        Assert.That(PerturbationText.Generate(Compound, TextLevel.Full), Is.EqualTo("Chemical perturbation: gabapentin-enacarbil. Target: CACNB4. SMILES: CC(C)C(=O)O."));
        Assert.That(PerturbationText.Generate(Compound, TextLevel.NameTarget), Is.EqualTo("Chemical perturbation: gabapentin-enacarbil. Target: CACNB4."));
        Assert.That(PerturbationText.Generate(Compound, TextLevel.NameOnly), Is.EqualTo("Chemical perturbation: gabapentin-enacarbil."));
    }

    [Test]
    public void EmptyFieldsAreSkippedAndFilledOnesAppearInTemplateOrder()
    {
        var info = Compound with { TargetList = "", Moa = "calcium channel blocker" };

        Assert.That(PerturbationText.Generate(info, TextLevel.Full), Is.EqualTo("Chemical perturbation: gabapentin-enacarbil. Function: calcium channel blocker. SMILES: CC(C)C(=O)O."));
    }

    [Test]
    public void ControlsIgnoreTheLevelAndDefaultTheirKind()
    {
        foreach (var level in Enum.GetValues<TextLevel>())
        {
            Assert.That(PerturbationText.Generate(new PerturbationInfo { PertType = PerturbationType.Negcon }, level), Is.EqualTo("Negative control (DMSO)."));
            Assert.That(PerturbationText.Generate(new PerturbationInfo { PertType = PerturbationType.Poscon }, level), Is.EqualTo("Positive control (positive)."));
            Assert.That(PerturbationText.Generate(new PerturbationInfo { PertType = PerturbationType.Poscon, ControlType = "poscon_cp" }, level), Is.EqualTo("Positive control (poscon_cp)."));
        }
    }

    [Test]
    public void GeneticPerturbationsUseTheirOwnExtras()
    {
        var crispr = new PerturbationInfo { PertType = PerturbationType.Crispr, Gene = "HIF1A", ProteinName = "HIF-1α", Moa = "m", GoTerms = "g" };
        var orf = new PerturbationInfo { PertType = PerturbationType.Orf, Gene = "KCNN1", ProteinName = "SK1", Moa = "m", GoTerms = "g" };

        Assert.That(PerturbationText.Generate(crispr, TextLevel.Full), Is.EqualTo("CRISPR knockout of HIF1A. Protein: HIF-1α. Function: m. GO terms: g."));
        Assert.That(PerturbationText.Generate(crispr, TextLevel.NameTarget), Is.EqualTo("CRISPR knockout of HIF1A. Protein: HIF-1α."));
        Assert.That(PerturbationText.Generate(orf, TextLevel.Full), Is.EqualTo("ORF overexpression of KCNN1. Protein: SK1. Function: m."));
        Assert.That(PerturbationText.Generate(orf with { ProteinName = "" }, TextLevel.NameTarget), Is.EqualTo("ORF overexpression of KCNN1."));
    }

    [Test]
    public void ValuesAreNeitherEscapedNorTrimmed()
    {
        Assert.That(PerturbationText.Generate(new PerturbationInfo { PertType = PerturbationType.Crispr }, TextLevel.Full), Is.EqualTo("CRISPR knockout of ."));
        Assert.That(PerturbationText.Generate(Compound with { PertIname = "x.", TargetList = "A|B" }, TextLevel.NameTarget), Is.EqualTo("Chemical perturbation: x.. Target: A|B."));
    }

    [Test]
    public void AnUnknownWellNamesItsBroadSampleAtEveryLevel()
    {
        var info = new PerturbationInfo { BroadSample = "XYZ-1" };

        Assert.That(PerturbationText.Generate(info, TextLevel.Full), Is.EqualTo("Unknown perturbation: XYZ-1."));
        Assert.That(PerturbationText.Generate(info, TextLevel.NameOnly), Is.EqualTo("Unknown perturbation: XYZ-1."));
    }
}
