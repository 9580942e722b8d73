using System.Text;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class LockStoreTests
{
    private TempDirectory temp = null!;
    private LockStore store = null!;
    private CopyStage stage = null!;

    [SetUp]
    public void CreateStore()
    {
        temp = new TempDirectory();
        store = new LockStore(temp.PathOf("data.lock.json"));
        stage = new CopyStage([]) { RecipeVersion = 3, Parameters = new([KeyValuePair.Create("sigma", "1.5")]) };
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private static BuildRecord Record(string itemId, string group, string version = "1") => LockedRecords.Record(itemId, group, version);

    private static BuildRecord[] FourItemsInTwoGroups(string site03Version = "1") =>
    [
        Record("site-01", "plate-A"),
        Record("site-02", "plate-B"),
        Record("site-03", "plate-A", site03Version),
        Record("site-04", "plate-B"),
    ];

    [Test]
    public void The_manifest_folder_sits_next_to_the_lock()
    {
        Assert.That(store.LockPath, Is.EqualTo(temp.PathOf("data.lock.json")));
        Assert.That(store.ManifestDirectory, Is.EqualTo(temp.PathOf("data.lock.d")));
        Assert.That(store.ManifestPath("copy", "plate-A"), Is.EqualTo(temp.PathOf("data.lock.d", "copy", "plate-A.tsv")));
    }

    [Test]
    public void Loading_without_a_lock_file_gives_an_empty_lock()
    {
        Assert.That(store.Load().Targets, Is.Empty);
    }

    [Test]
    public void Record_writes_the_lock_and_one_manifest_per_group()
    {
        BuildRecord[] records = FourItemsInTwoGroups();

        store.Record(stage, records);

        string plateA = store.ManifestPath("copy", "plate-A");
        string plateB = store.ManifestPath("copy", "plate-B");
        Assert.That(Directory.GetFiles(temp.PathOf("data.lock.d", "copy")).Order(StringComparer.Ordinal), Is.EqualTo(new[] { plateA, plateB }));
        Assert.That(File.ReadAllBytes(plateA), Is.EqualTo(ItemManifest.Serialize([records[0], records[2]])));
        Assert.That(File.ReadAllBytes(plateB), Is.EqualTo(ItemManifest.Serialize([records[1], records[3]])));

        TargetLock target = store.Load().Targets["copy"];
        Assert.That(target.RecipeVersion, Is.EqualTo(3));
        Assert.That(target.Parameters, Is.EqualTo(new Dictionary<string, string> { ["sigma"] = "1.5" }));
        Assert.That(target.Items, Is.EqualTo(4));
        Assert.That(target.Groups["plate-A"].Items, Is.EqualTo(2));
        Assert.That(target.Groups["plate-A"].Digest, Is.EqualTo(ItemManifest.DigestOf(File.ReadAllBytes(plateA))));
        Assert.That(target.Groups["plate-B"].Digest, Is.EqualTo(ItemManifest.DigestOf(File.ReadAllBytes(plateB))));
    }

    [Test]
    public void Groups_recorded_directly_keep_their_manifest_and_attributes()
    {
        byte[] manifest = "# key\tetag\n"u8.ToArray();
        var groups = new Dictionary<string, GroupContent>
        {
            ["plate-B"] = new(manifest, 1, new Dictionary<string, string>()),
            ["plate-A"] = new(manifest, 2, new Dictionary<string, string> { ["url"] = "s3://bucket/plate-A/" }),
        };

        store.Record("download", 1, new Dictionary<string, string> { ["bucket"] = "bucket" }, groups);

        TargetLock target = store.Load().Targets["download"];
        Assert.Multiple(() =>
        {
            Assert.That(target.Groups["plate-A"].Attributes, Is.EqualTo(new Dictionary<string, string> { ["url"] = "s3://bucket/plate-A/" }));
            Assert.That(target.Groups["plate-B"].Attributes, Is.Empty);
            Assert.That(target.Items, Is.EqualTo(3));
            Assert.That(File.ReadAllBytes(store.ManifestPath("download", "plate-A")), Is.EqualTo(manifest));
            Assert.That(store.ReadManifest("download", "plate-A"), Is.EqualTo("# key\tetag\n"));
            Assert.That(store.ReadManifest("download", "plate-C"), Is.Null);
        });
    }

    [Test]
    public void A_one_item_change_changes_one_manifest_line_and_one_digest_line()
    {
        store.Record(stage, FourItemsInTwoGroups());
        string[] lockBefore = LineChanges.Lines(store.LockPath);
        string[] plateABefore = LineChanges.Lines(store.ManifestPath("copy", "plate-A"));
        FileStamp plateBStamp = FileStatReader.TryRead(store.ManifestPath("copy", "plate-B"))!.Value;

        store.Record(stage, FourItemsInTwoGroups(site03Version: "2"));

        var manifestChanges = LineChanges.Between(plateABefore, LineChanges.Lines(store.ManifestPath("copy", "plate-A")));
        Assert.That(manifestChanges, Has.Length.EqualTo(1));
        Assert.That(manifestChanges[0].After, Does.StartWith("site-03\t"));

        var lockChanges = LineChanges.Between(lockBefore, LineChanges.Lines(store.LockPath));
        Assert.That(lockChanges, Has.Length.EqualTo(1));
        Assert.That(lockChanges[0].Before.Trim(), Does.StartWith("\"digest\": \"sha256:"));
        Assert.That(lockChanges[0].After.Trim(), Is.EqualTo($"\"digest\": \"{store.Load().Targets["copy"].Groups["plate-A"].Digest}\""));

        Assert.That(FileStatReader.TryRead(store.ManifestPath("copy", "plate-B")), Is.EqualTo(plateBStamp), "the other group's manifest is not rewritten");
    }

    [Test]
    public void Unchanged_content_rewrites_no_file()
    {
        store.Record(stage, FourItemsInTwoGroups());
        string[] files = [store.LockPath, store.ManifestPath("copy", "plate-A"), store.ManifestPath("copy", "plate-B")];
        FileStamp?[] before = files.Select(FileStatReader.TryRead).ToArray();

        store.Record(stage, FourItemsInTwoGroups().Reverse().ToArray());

        // An atomic rewrite would have given each file a new inode, whatever the clock did.
        Assert.That(files.Select(FileStatReader.TryRead), Is.EqualTo(before));
    }

    [Test]
    public void Removing_a_group_deletes_its_manifest_and_its_lock_entry()
    {
        store.Record(stage, FourItemsInTwoGroups());

        store.Record(stage, FourItemsInTwoGroups().Where(record => record.Group == "plate-A").ToArray());

        Assert.That(File.Exists(store.ManifestPath("copy", "plate-B")), Is.False);
        Assert.That(File.Exists(store.ManifestPath("copy", "plate-A")), Is.True);
        Assert.That(store.Load().Targets["copy"].Groups.Keys, Is.EqualTo(new[] { "plate-A" }));
    }

    [Test]
    public void Recording_one_target_keeps_the_others()
    {
        store.Record(stage, FourItemsInTwoGroups());
        var other = new CopyStage([]) { Name = "another", RecipeVersion = 7 };

        store.Record(other, [Record("x-1", "plate-C")]);

        LockFile lockFile = store.Load();
        Assert.That(lockFile.Targets.Keys, Is.EqualTo(new[] { "another", "copy" }));
        Assert.That(lockFile.Targets["copy"].Items, Is.EqualTo(4));
        Assert.That(lockFile.Targets["another"].RecipeVersion, Is.EqualTo(7));
        Assert.That(File.Exists(store.ManifestPath("copy", "plate-A")), Is.True, "another target's manifests are left alone");
    }

    [Test]
    public void The_lock_holds_no_absolute_paths()
    {
        store.Record(stage, FourItemsInTwoGroups());

        Assert.That(File.ReadAllText(store.LockPath), Does.Not.Contain(temp.Root));
        Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(store.ManifestPath("copy", "plate-A"))), Does.Not.Contain(temp.Root));
    }

    [Test]
    public void A_conflicted_lock_stops_Record_with_the_file_and_line()
    {
        store.Record(stage, FourItemsInTwoGroups());
        File.AppendAllText(store.LockPath, "<<<<<<< HEAD\n");

        var thrown = Assert.Throws<LockFileException>(() => store.Record(stage, FourItemsInTwoGroups()));

        Assert.That(thrown!.Message, Does.StartWith($"{store.LockPath}:{LineChanges.Lines(store.LockPath).Length - 1}: merge-conflict marker"));
    }
}
