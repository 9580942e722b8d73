using CellPainting.Engine.Caching;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.Engine.Verification;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Verification;

public sealed class LockedTargetTests
{
    private LockedCopyProject fixture = null!;

    [SetUp]
    public void BuildAndLock() => fixture = new LockedCopyProject();

    [TearDown]
    public void DeleteTempDirectory() => fixture.Dispose();

    private CopyProject Project => fixture.Project;

    private LockStore Store => fixture.Store;

    private LockedTarget Read() => fixture.Read();

    [Test]
    public void Every_recorded_item_is_read_with_its_fingerprint_and_outputs()
    {
        LockedTarget locked = Read();

        Assert.That(locked.Findings, Is.Empty);
        Assert.That(locked.Items.Keys, Is.EquivalentTo(Project.ItemIds));
        Assert.That(locked.Items["site-02"].Outputs.Single().Name, Is.EqualTo("out"));
    }

    [Test]
    public void Manifests_kept_in_the_cache_are_read_from_local_state_and_a_missing_one_is_a_finding_naming_every_place_looked()
    {
        var manifests = new ManifestStore(fixture.Temp.PathOf("state", "manifests"), null, CacheMode.Off);
        var store = new LockStore(fixture.Temp.PathOf("cached", "data.lock.json"), manifests, ManifestMode.Cache);
        store.Record(Project.Stage, Project.Run().CurrentRecords);
        TargetLock section = store.Load().Targets["copy"];
        Assert.That(LockedTarget.Read(store, "copy", section).Items.Keys, Is.EquivalentTo(Project.ItemIds));
        string digest = section.Groups["plate-B"].Digest;
        string local = manifests.PathOf(digest["sha256:".Length..]);
        File.Delete(local);

        LockedTarget locked = LockedTarget.Read(store, "copy", section);

        Assert.That(locked.Findings.Single(), Is.EqualTo(new VerificationFinding(
            "data.lock.d/copy/plate-B.tsv",
            FindingKind.LockInconsistent,
            $"manifest missing; data.lock.json records 2 item(s) for group plate-B (manifest {digest}); also looked in local state {local} (missing)")));
        Assert.That(locked.Items.Keys, Is.EquivalentTo(new[] { "site-01", "site-03" }));
    }

    [Test]
    public void A_manifest_out_of_step_with_its_digest_is_a_finding_and_its_lines_are_still_used()
    {
        File.AppendAllText(Store.ManifestPath("copy", "plate-A"), "# edited\n");

        LockedTarget locked = Read();

        Assert.That(locked.Findings, Is.EqualTo(new[]
        {
            new VerificationFinding("data.lock.d/copy/plate-A.tsv", FindingKind.LockInconsistent, "does not match its digest in data.lock.json (edited by hand, or a merge left them out of step)"),
        }));
        Assert.That(locked.Items, Has.Count.EqualTo(4));
    }

    [Test]
    public void A_missing_manifest_is_a_finding_naming_its_digest_and_its_items_are_not_recorded()
    {
        string digest = Store.Load().Targets["copy"].Groups["plate-B"].Digest;
        File.Delete(Store.ManifestPath("copy", "plate-B"));

        LockedTarget locked = Read();

        Assert.That(locked.Findings.Single().Detail, Is.EqualTo($"manifest missing; data.lock.json records 2 item(s) for group plate-B (manifest {digest})"));
        Assert.That(locked.Items.Keys, Is.EquivalentTo(new[] { "site-01", "site-03" }));
    }

    [Test]
    public void A_manifest_with_conflict_markers_is_a_finding_naming_its_file_and_line()
    {
        string path = Store.ManifestPath("copy", "plate-A");
        string[] lines = File.ReadAllLines(path);
        File.WriteAllLines(path, [lines[0], "<<<<<<< HEAD", lines[1], "=======", lines[2], ">>>>>>> theirs"]);

        LockedTarget locked = Read();

        Assert.That(locked.Findings.Select(finding => finding.Detail), Has.Member("data.lock.d/copy/plate-A.tsv:2: expected 3 tab-separated fields, found 1."));
    }

    [Test]
    public void A_manifest_holding_another_item_count_than_the_lock_is_a_finding()
    {
        string path = Store.ManifestPath("copy", "plate-A");
        File.WriteAllLines(path, File.ReadAllLines(path)[..^1]);

        LockedTarget locked = Read();

        Assert.That(locked.Findings.Select(finding => finding.Detail), Has.Member("holds 1 item(s); data.lock.json records 2"));
    }
}
