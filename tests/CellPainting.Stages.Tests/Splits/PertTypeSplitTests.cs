using CellPainting.Stages.Metadata;
using CellPainting.Stages.Splits;

namespace CellPainting.Stages.Tests.Splits;

public sealed class PertTypeSplitTests
{
    [Test]
    public void TheFractionIsTheFirstEightHexDigitsOfTheMd5OfSeedColonSample()
    {
        Assert.That(PertTypeSplit.Fraction("BRD-A86665761-001-01-1", 42), Is.EqualTo(0x3ee5c82b / (double)0xFFFFFFFF));
        Assert.That(PertTypeSplit.Fraction("BRD-A86665761-001-01-1", 42), Is.EqualTo(0.2457).Within(0.0001));
    }

    [Test]
    public void GabapentinEnacarbilTrainsWithTheDefaultSeed()
    {
        Assert.That(PertTypeSplit.SubsetOf("BRD-A86665761-001-01-1", new SplitParameters()), Is.EqualTo(SplitSubset.Train));
    }

    [Test]
    public void FractionsBelowValFractionValidateAndBelowTwiceItTest()
    {
        var parameters = new SplitParameters();

        // md5 fractions 0.0611 and 0.1737 (computed independently with Python's hashlib).
        Assert.That(PertTypeSplit.SubsetOf("BRD-K06426971-001-02-7", parameters), Is.EqualTo(SplitSubset.Validate));
        Assert.That(PertTypeSplit.SubsetOf("BRD-A01078468-001-14-8", parameters), Is.EqualTo(SplitSubset.Test));
    }

    [Test]
    public void TheSeedChangesTheDraw()
    {
        Assert.That(PertTypeSplit.Fraction("BRDN0001480888", 7), Is.EqualTo(0.8857298656100709).Within(1e-15));
        Assert.That(PertTypeSplit.Fraction("BRDN0001480888", 7), Is.Not.EqualTo(PertTypeSplit.Fraction("BRDN0001480888", 42)));
    }

    [Test]
    public void AllWellsOfABroadSampleShareItsSubset()
    {
        var info = new PerturbationInfo { PertType = PerturbationType.Compound, BroadSample = "BRD-K06426971-001-02-7" };
        SplitCandidate[] candidates = [new(0, new("P1", "A01"), info, null), new(1, new("P2", "B07"), info, null)];

        var assigned = PertTypeSplit.Assign(candidates, new SplitParameters());

        Assert.That(assigned, Is.EqualTo(new Dictionary<int, SplitSubset> { [0] = SplitSubset.Validate, [1] = SplitSubset.Validate }));
    }
}
