using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

/// <summary>
/// A lock store remembering the manifests it recorded: a manifest whose content changed under its stamp (forged) shows,
/// from outside, that it was neither made nor compared again.
/// </summary>
public sealed class RecordedManifestsTests
{
    private TempDirectory temp = null!;
    private CopyStage stage = null!;

    [SetUp]
    public void CreateStage()
    {
        if (!StampForger.IsSupported)
        {
            Assert.Ignore("keeping a stamp while changing content needs utimensat (Linux)");
        }

        temp = new TempDirectory();
        stage = new CopyStage([]);
    }

    [TearDown]
    public void DeleteTempDirectory() => temp?.Dispose();

    private LockStore Store() => new(temp.PathOf("data.lock.json"), recorded: new RecordedManifests(temp.PathOf("state", "recorded-manifests")));

    private static BuildRecord[] FourItemsInTwoGroups(string site03Version = "1") =>
    [
        LockedRecords.Record("site-01", "plate-A"),
        LockedRecords.Record("site-02", "plate-B"),
        LockedRecords.Record("site-03", "plate-A", site03Version),
        LockedRecords.Record("site-04", "plate-B"),
    ];

    private string ManifestOf(string group) => temp.PathOf("data.lock.d", "copy", group + ".tsv");

    private static byte[] Manifest(IEnumerable<BuildRecord> records, string group) => ItemManifest.Serialize(records.Where(record => record.Group == group));

    [Test]
    public void A_group_recorded_again_from_the_same_records_keeps_its_manifest_unmade_and_its_lock_entry()
    {
        Store().Record(stage, FourItemsInTwoGroups());
        byte[] lockBefore = File.ReadAllBytes(temp.PathOf("data.lock.json"));
        StampForger.ShoutKeepingStamp(ManifestOf("plate-A"));
        byte[] forged = File.ReadAllBytes(ManifestOf("plate-A"));

        Store().Record(stage, FourItemsInTwoGroups());

        Assert.That(File.ReadAllBytes(ManifestOf("plate-A")), Is.EqualTo(forged), "not made again, so not compared either");
        Assert.That(File.ReadAllBytes(temp.PathOf("data.lock.json")), Is.EqualTo(lockBefore));
    }

    [Test]
    public void A_group_whose_records_changed_has_its_manifest_made_again_and_the_others_not()
    {
        Store().Record(stage, FourItemsInTwoGroups());
        StampForger.ShoutKeepingStamp(ManifestOf("plate-A"));
        StampForger.ShoutKeepingStamp(ManifestOf("plate-B"));
        byte[] forgedB = File.ReadAllBytes(ManifestOf("plate-B"));
        BuildRecord[] changed = FourItemsInTwoGroups(site03Version: "2");

        Store().Record(stage, changed);

        Assert.That(File.ReadAllBytes(ManifestOf("plate-A")), Is.EqualTo(Manifest(changed, "plate-A")));
        Assert.That(File.ReadAllBytes(ManifestOf("plate-B")), Is.EqualTo(forgedB));
        Assert.That(new LockStore(temp.PathOf("data.lock.json")).Load().Targets["copy"].Groups["plate-A"].Digest, Is.EqualTo(ItemManifest.DigestOf(Manifest(changed, "plate-A"))));
    }

    [Test]
    public void A_manifest_file_written_over_since_is_made_again()
    {
        BuildRecord[] records = FourItemsInTwoGroups();
        Store().Record(stage, records);
        File.WriteAllText(ManifestOf("plate-A"), "# reverted by hand\n");

        Store().Record(stage, records);

        Assert.That(File.ReadAllBytes(ManifestOf("plate-A")), Is.EqualTo(Manifest(records, "plate-A")));
    }

    [Test]
    public void A_group_the_lock_no_longer_has_is_made_again()
    {
        BuildRecord[] records = FourItemsInTwoGroups();
        Store().Record(stage, records);
        StampForger.ShoutKeepingStamp(ManifestOf("plate-A"));
        File.Delete(temp.PathOf("data.lock.json"));

        Store().Record(stage, records);

        Assert.That(File.ReadAllBytes(ManifestOf("plate-A")), Is.EqualTo(Manifest(records, "plate-A")));
        Assert.That(new LockStore(temp.PathOf("data.lock.json")).Load().Targets["copy"].Groups["plate-A"].Digest, Is.EqualTo(ItemManifest.DigestOf(Manifest(records, "plate-A"))));
    }

    [Test]
    public void A_change_to_one_group_rewrites_what_state_remembers_of_that_group_alone()
    {
        Store().Record(stage, FourItemsInTwoGroups());
        string remembered = temp.PathOf("state", "recorded-manifests", "copy");
        Dictionary<string, FileStamp> before = Directory.GetFiles(remembered).ToDictionary(path => Path.GetFileName(path), path => FileStatReader.TryRead(path)!.Value);

        Store().Record(stage, FourItemsInTwoGroups(site03Version: "2"));

        Dictionary<string, FileStamp> after = Directory.GetFiles(remembered).ToDictionary(path => Path.GetFileName(path), path => FileStatReader.TryRead(path)!.Value);
        Assert.That(after.Keys, Is.EquivalentTo(new[] { "plate-A", "plate-B" }));
        Assert.That(after["plate-A"], Is.Not.EqualTo(before["plate-A"]));
        Assert.That(after["plate-B"], Is.EqualTo(before["plate-B"]));
    }

    [Test]
    public void A_group_no_longer_recorded_is_forgotten()
    {
        Store().Record(stage, FourItemsInTwoGroups());

        Store().Record(stage, FourItemsInTwoGroups().Where(record => record.Group == "plate-B").ToArray());

        Assert.That(Directory.GetFiles(temp.PathOf("state", "recorded-manifests", "copy")).Select(Path.GetFileName), Is.EqualTo(new[] { "plate-B" }));
    }

    [Test]
    public void The_key_of_records_changes_with_any_id_fingerprint_or_output_and_not_otherwise()
    {
        BuildRecord record = LockedRecords.Record("site-01", "plate-A");
        string key = RecordedManifests.KeyOf([record]);

        Assert.That(RecordedManifests.KeyOf([LockedRecords.Record("site-01", "plate-A")]), Is.EqualTo(key));
        Assert.That(RecordedManifests.KeyOf([record with { Inputs = [] }]), Is.EqualTo(key), "inputs are not in a manifest");
        Assert.That(RecordedManifests.KeyOf([record with { ItemId = "site-02" }]), Is.Not.EqualTo(key));
        Assert.That(RecordedManifests.KeyOf([record with { Fingerprint = "f" }]), Is.Not.EqualTo(key));
        Assert.That(RecordedManifests.KeyOf([record with { Outputs = [new HashedName("out", "h")] }]), Is.Not.EqualTo(key));
        Assert.That(RecordedManifests.KeyOf([record, record]), Is.Not.EqualTo(key));
    }

    [Test]
    public void Strings_running_together_make_different_keys()
    {
        BuildRecord record = LockedRecords.Record("site-01", "plate-A");

        Assert.That(
            RecordedManifests.KeyOf([record with { ItemId = "ab", Fingerprint = "c" }]),
            Is.Not.EqualTo(RecordedManifests.KeyOf([record with { ItemId = "a", Fingerprint = "bc" }])));
    }
}
