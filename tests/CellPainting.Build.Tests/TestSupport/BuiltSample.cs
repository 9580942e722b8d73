namespace CellPainting.Build.Tests.TestSupport;

/// <summary>Base of the test fixtures that start each test from the sample, built by the main job's item targets.</summary>
public abstract class BuiltSample
{
    protected SampleRoot Sample { get; private set; } = null!;

    [SetUp]
    public void BuildSample()
    {
        Sample = new SampleRoot();
        Sample.RunAll();
    }

    [TearDown]
    public void DeleteSample() => Sample.Dispose();
}
