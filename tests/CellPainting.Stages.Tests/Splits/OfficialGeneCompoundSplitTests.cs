using CellPainting.Stages.Metadata;
using CellPainting.Stages.Splits;

namespace CellPainting.Stages.Tests.Splits;

public sealed class OfficialGeneCompoundSplitTests
{
    private static SplitCandidate Candidate(int index, string target, int? radix, bool across = true) =>
        new(
            index,
            new WellKey("P", WellPosition.All[index]),
            new PerturbationInfo { PertType = PerturbationType.Compound, BroadSample = "S" + index },
            new OfficialWellContext(new WellKey("P", WellPosition.All[index]), "S" + index, target, "A549", "Compound", 24, "low", across, radix));

    [Test]
    public void TargetsRankedByRadixSplitSixtyTwentyTwenty()
    {
        SplitCandidate[] candidates = [Candidate(0, "KCNN1", 3), Candidate(1, "HIF1A", 4), Candidate(2, "CACNB4", 2), Candidate(3, "OPRL1", 1), Candidate(4, "CACNB4", 2)];

        var assigned = OfficialGeneCompoundSplit.Assign(candidates);

        Assert.That(assigned, Is.EqualTo(new Dictionary<int, SplitSubset>
        {
            [0] = SplitSubset.Validate,
            [1] = SplitSubset.Test,
            [2] = SplitSubset.Train,
            [3] = SplitSubset.Train,
            [4] = SplitSubset.Train,
        }));
    }

    [Test]
    public void TargetsWithoutRadixComeLastThenByName()
    {
        SplitCandidate[] candidates = [Candidate(0, "ZZZ", null), Candidate(1, "AAA", null), Candidate(2, "MMM", 50), Candidate(3, "NNN", 60), Candidate(4, "OOO", 70)];

        var assigned = OfficialGeneCompoundSplit.Assign(candidates);

        // Ranks: MMM, NNN, OOO, AAA, ZZZ → 3 train, 1 validate, 1 test.
        Assert.That(assigned[2], Is.EqualTo(SplitSubset.Train));
        Assert.That(assigned[4], Is.EqualTo(SplitSubset.Train));
        Assert.That(assigned[1], Is.EqualTo(SplitSubset.Validate));
        Assert.That(assigned[0], Is.EqualTo(SplitSubset.Test));
    }

    [Test]
    public void TheFirstWellOfATargetDecidesItsRadix()
    {
        SplitCandidate[] candidates = [Candidate(0, "X", 5), Candidate(1, "Y", 2), Candidate(2, "X", 1)];

        var assigned = OfficialGeneCompoundSplit.Assign(candidates);

        // X ranks after Y (radix 5 vs 2): 1 train (Y), 1 validate (X).
        Assert.That(assigned[1], Is.EqualTo(SplitSubset.Train));
        Assert.That(assigned[0], Is.EqualTo(SplitSubset.Validate));
        Assert.That(assigned[2], Is.EqualTo(SplitSubset.Validate));
    }

    [Test]
    public void WellsWhoseTargetIsNotAcrossModalitiesOrEmptyAreLeftOut()
    {
        SplitCandidate[] candidates = [Candidate(0, "NO_SITE", 83, across: false), Candidate(1, "", 7), Candidate(2, "KCNN1", 102)];

        Assert.That(OfficialGeneCompoundSplit.Assign(candidates).Keys, Is.EqualTo(new[] { 2 }));
    }

    [TestCase(160, 96, 32, 32)]
    [TestCase(4, 2, 1, 1)]
    [TestCase(3, 1, 1, 1)]
    [TestCase(2, 1, 1, 0)]
    [TestCase(1, 0, 1, 0)]
    [TestCase(0, 0, 0, 0)]
    public void RankShareUsesFloorForTrainAndCeilingForValidate(int count, int train, int validate, int test)
    {
        var subsets = OfficialGeneCompoundSplit.SubsetsByRank(count);

        Assert.That((subsets.Count(s => s == SplitSubset.Train), subsets.Count(s => s == SplitSubset.Validate), subsets.Count(s => s == SplitSubset.Test)), Is.EqualTo((train, validate, test)));
        Assert.That(subsets, Is.Ordered);
    }
}
