using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.Engine.Verification;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Verification;

public sealed class SampleRebuildTests
{
    private LockedCopyProject project = null!;
    private Dictionary<string, ManifestLine> locked = null!;

    [SetUp]
    public void BuildAndLock()
    {
        project = new LockedCopyProject();
        locked = project.Read().Items.ToDictionary();
    }

    [TearDown]
    public void DeleteTempDirectory() => project.Dispose();

    private CopyStage Stage => project.Project.Stage;

    private string Scratch => project.Temp.PathOf("scratch");

    private WorkItem[] Sample(params string[] ids) => Stage.Items.Where(item => ids.Contains(item.Id)).ToArray();

    private SampleResult Rebuild(WorkItem[] sample, OutputComparer? compare = null)
    {
        Stage.ResetCounts();
        return new SampleRebuild(Scratch, 2, new RecordingObserver()).Run(Stage, sample, locked, compare);
    }

    /// <summary>The lock's line for an item, claiming <paramref name="hash"/> for its output.</summary>
    private void Claim(string itemId, string hash) =>
        locked[itemId] = locked[itemId] with { Outputs = [new HashedName("out", hash)] };

    private Dictionary<string, byte[]> EverythingButScratch() =>
        Directory.EnumerateFiles(project.Temp.Root, "*", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(Scratch, StringComparison.Ordinal))
            .ToDictionary(path => path, File.ReadAllBytes);

    [Test]
    public void A_sample_rebuilds_byte_identical_in_scratch_and_touches_no_output_state_or_lock()
    {
        Dictionary<string, byte[]> before = EverythingButScratch();

        SampleResult result = Rebuild(Sample("site-02", "site-03"));

        Assert.That((result.Sampled, result.Identical, result.Findings.Count), Is.EqualTo((2, 2, 0)));
        Assert.That(Stage.BuiltItems, Is.EqualTo(new[] { "site-02", "site-03" }));
        Assert.That(File.ReadAllText(Path.Combine(Scratch, "copy", "0000-site-02", "site-02.txt")), Is.EqualTo(project.Project.ReadOutput("site-02")));
        Assert.That(EverythingButScratch(), Is.EqualTo(before));
    }

    [Test]
    public void A_recorded_hash_the_rebuild_does_not_reproduce_is_a_finding()
    {
        Claim("site-01", ContentHash.OfText("something else"));

        SampleResult result = Rebuild(Sample("site-01", "site-02"));

        Assert.That(result.Identical, Is.EqualTo(1));
        VerificationFinding finding = result.Findings.Single();
        Assert.That((finding.Subject, finding.Kind), Is.EqualTo(("site-01", FindingKind.NotReproduced)));
        Assert.That(finding.Detail, Does.StartWith("out rebuilt as sha256 ").And.Contain(Path.Combine(Scratch, "copy", "0000-site-01", "site-01.txt")));
    }

    [Test]
    public void A_comparer_decides_on_an_output_that_differs_comparing_it_with_the_recorded_file()
    {
        File.WriteAllText(project.Project.OutputPath("site-01"), "close enough\n");
        Claim("site-01", ContentHash.OfText("close enough\n"));
        var compared = new List<(string, string, string)>();

        SampleResult result = Rebuild(Sample("site-01"), (name, recorded, rebuilt) =>
        {
            compared.Add((name, File.ReadAllText(recorded), File.ReadAllText(rebuilt)));
            return new OutputComparison(true, "within tolerance");
        });

        Assert.That(compared, Is.EqualTo(new[] { ("out", "close enough\n", "site-01 left\nsite-01 right\n") }));
        Assert.That(result.Findings, Is.Empty);
        Assert.That(result.Equivalent, Is.EqualTo(new[] { new EquivalentOutput("site-01", "out", "within tolerance") }));
        Assert.That(result.Identical, Is.Zero);
    }

    [Test]
    public void The_comparer_is_not_asked_when_the_file_on_disk_no_longer_holds_the_recorded_bytes()
    {
        Claim("site-01", ContentHash.OfText("what was recorded\n"));
        bool asked = false;

        SampleResult result = Rebuild(Sample("site-01"), (_, _, _) =>
        {
            asked = true;
            return new OutputComparison(true, string.Empty);
        });

        Assert.That(asked, Is.False);
        Assert.That(result.Findings.Single().Detail, Does.EndWith($"{project.Project.OutputPath("site-01")} no longer holds the recorded bytes to compare values with"));
    }

    [Test]
    public void Inputs_changed_since_the_lock_make_the_item_stale_not_unreproducible()
    {
        project.Project.WriteInput("site-04", "left", "new left\n");

        SampleResult result = Rebuild(Sample("site-04"));

        VerificationFinding finding = result.Findings.Single();
        Assert.That(finding.Kind, Is.EqualTo(FindingKind.Stale));
        Assert.That(finding.Detail, Does.StartWith("its inputs or parameters are not those the lock records (fingerprint "));
    }

    [Test]
    public void A_rebuild_that_fails_is_a_finding_with_the_error()
    {
        Stage.FailFor = "site-02";

        SampleResult result = Rebuild(Sample("site-02"));

        Assert.That(result.Findings.Single(), Is.EqualTo(new VerificationFinding("site-02", FindingKind.NotReproduced, "the rebuild failed: InvalidOperationException: boom while building site-02")));
    }
}
