using CellPainting.Stages.Splits;

namespace CellPainting.Stages.Tests.Splits;

public sealed class SplitStrategyNamesTests
{
    [Test]
    public void EveryStrategyParsesFromItsName()
    {
        foreach (var strategy in Enum.GetValues<SplitStrategy>())
        {
            Assert.That(SplitStrategyNames.Parse(strategy.ToName()), Is.EqualTo(strategy));
        }
    }

    [Test]
    public void TheDefaultIsTheOfficialRepresentationSplit()
    {
        Assert.That(SplitStrategyNames.Default.ToName(), Is.EqualTo("cpjump1_official_representation"));
    }

    [Test]
    public void AnUnknownNameListsTheKnownOnes()
    {
        Assert.That(
            () => SplitStrategyNames.Parse("random"),
            Throws.ArgumentException.With.Message.StartsWith("Unknown split strategy 'random'. Known strategies: cellclip_cpjump_style, cpjump1_official_gene_compound, cpjump1_official_representation, pert_type"));
    }
}
