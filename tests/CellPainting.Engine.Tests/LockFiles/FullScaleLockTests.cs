using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.LockFiles;

/// <summary>
/// The committed lock at the scale of the full CPJUMP1 batch (see <see cref="FullScaleLock"/>); one test, because
/// writing that lock is the expensive part. bench/lock/run.sh prints the sizes and times.
/// </summary>
public sealed class FullScaleLockTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void The_full_batch_lock_stays_under_one_megabyte_and_one_changed_site_is_one_manifest_line_and_one_digest_line()
    {
        var store = new LockStore(temp.PathOf("data.lock.json"));
        FullScaleLock.Write(store);
        LockFile lockFile = store.Load();
        string[] manifests = Directory.GetFiles(store.ManifestDirectory, "*.tsv", SearchOption.AllDirectories);
        Assert.Multiple(() =>
        {
            Assert.That(new FileInfo(store.LockPath).Length, Is.LessThan(1_000_000));
            Assert.That(lockFile.Targets["tensors"].Items, Is.EqualTo(FullScaleLock.Plates * FullScaleLock.SitesPerPlate));
            Assert.That(lockFile.Targets["features"].Groups, Has.Count.EqualTo(FullScaleLock.Plates));
            Assert.That(lockFile.Targets["download"].Items, Is.EqualTo((FullScaleLock.Plates * FullScaleLock.SitesPerPlate * FullScaleLock.ImagesPerSite) + 68));
            Assert.That(manifests, Has.Length.EqualTo((3 * FullScaleLock.Plates) + 4));
            Assert.That(IsSorted(LineChanges.Lines(store.ManifestPath("features", FullScaleLock.Barcode(50)))[1..^1]), "sorted by site");
        });

        string changedPlate = FullScaleLock.Barcode(17);
        string changedManifest = store.ManifestPath("tensors", changedPlate);
        string[] lockBefore = LineChanges.Lines(store.LockPath);
        string[] manifestBefore = LineChanges.Lines(changedManifest);
        Dictionary<string, FileStamp?> stamps = manifests.ToDictionary(path => path, FileStatReader.TryRead);
        // The base as a reviewer's diff needs it: the lock and the one manifest whose digest will differ.
        string baseLock = temp.PathOf("base", "data.lock.json");
        Directory.CreateDirectory(Path.Combine(temp.PathOf("base"), "data.lock.d", "tensors"));
        File.Copy(store.LockPath, baseLock);
        File.Copy(changedManifest, temp.PathOf("base", "data.lock.d", "tensors", changedPlate + ".tsv"));

        BuildRecord[] records = FullScaleLock.SiteRecords("tensors", "tensor", "tensors");
        int changed = (17 * FullScaleLock.SitesPerPlate) + 1234;
        records[changed] = records[changed] with { Outputs = [new HashedName("tensor", new string('0', 64))] };
        // Given in reverse: what is committed must not depend on the order records arrive in.
        FullScaleLock.RecordSites(store, "tensors", FullScaleLock.TensorParameters, records.Reverse().ToArray());

        var lockChanges = LineChanges.Between(lockBefore, LineChanges.Lines(store.LockPath));
        var manifestChanges = LineChanges.Between(manifestBefore, LineChanges.Lines(changedManifest));
        LockDiff diff = LockDiff.Between(FileLockSnapshot.Open(baseLock, "base"), FileLockSnapshot.Open(store.LockPath, "head"));
        Assert.Multiple(() =>
        {
            Assert.That(lockChanges, Has.Length.EqualTo(1));
            Assert.That(lockChanges[0].After.Trim(), Is.EqualTo($"\"digest\": \"{store.Load().Targets["tensors"].Groups[changedPlate].Digest}\""));
            Assert.That(manifestChanges, Has.Length.EqualTo(1));
            Assert.That(manifestChanges[0].After, Does.StartWith(records[changed].ItemId + "\t"));
            Assert.That(stamps.Where(pair => FileStatReader.TryRead(pair.Key) != pair.Value).Select(pair => pair.Key), Is.EqualTo(new[] { changedManifest }), "rewritten manifests");
            Assert.That(diff.Targets.Where(target => target.Status != TargetStatus.Unchanged).Select(target => target.Name), Is.EqualTo(new[] { "tensors" }));
            Assert.That(diff.Targets.Single(target => target.Name == "tensors").Changed.First, Is.EqualTo(new[] { records[changed].ItemId }));
        });
    }

    private static bool IsSorted(string[] rows) => rows.Zip(rows.Skip(1)).All(pair => string.CompareOrdinal(pair.First, pair.Second) < 0);
}
