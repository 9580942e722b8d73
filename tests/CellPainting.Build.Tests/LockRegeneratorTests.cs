using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.LockFiles;

namespace CellPainting.Build.Tests;

/// <summary>The LockRegenerate target end to end on the synthesised sample.</summary>
public sealed class LockRegeneratorTests : BuiltSample
{
    private Dictionary<string, byte[]> built = null!;

    [SetUp]
    public void KeepTheBuiltLock() => built = Sample.LockSnapshot();

    private (string Output, BuildFailedException? Error) Regenerate() => Sample.Run(build => build.LockRegenerate());

    /// <summary>Everything under data/ but the local state.</summary>
    private Dictionary<string, byte[]> Outputs() =>
        Sample.Snapshot(path => path.StartsWith($"data{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !path.Contains(".cpbuild", StringComparison.Ordinal));

    private void DeleteLock()
    {
        File.Delete(Sample.LockPath);
        Directory.Delete(Sample.PathOf("data.lock.d"), recursive: true);
    }

    [Test]
    public void A_deleted_lock_is_regenerated_byte_for_byte_without_rebuilding_anything()
    {
        Dictionary<string, byte[]> outputs = Outputs();
        DeleteLock();

        (string output, BuildFailedException? error) = Regenerate();

        Assert.That(error, Is.Null, output);
        Assert.That(Sample.LockSnapshot(), Is.EqualTo(built));
        Assert.That(output, Does.Contain("lock tensors: 3 item(s) vouched for by the build log and the outputs on disk, 0 cannot be vouched for"));
        Assert.That(output, Does.Contain("lock: data.lock.json regenerated; nothing was rebuilt"));
        Assert.That(Outputs(), Is.EqualTo(outputs));
    }

    [Test]
    public void A_modified_output_is_listed_as_not_vouched_for_and_left_out_of_the_lock()
    {
        string tensor = Sample.PathOf("data", "tensors", "BR00117000", "r01c01f01.pt");
        byte[] bytes = File.ReadAllBytes(tensor);
        bytes[^100] ^= 0x01;
        File.WriteAllBytes(tensor, bytes);
        DeleteLock();

        (string output, BuildFailedException? error) = Regenerate();

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.StartWith("lock: 2 item(s) cannot be vouched for"));
        Assert.That(output, Does.Contain($"  CANNOT VOUCH BR00117000/r01c01f01: output modified: {tensor} since its last completed build"));
        Assert.That(output, Does.Contain("  CANNOT VOUCH tensors/BR00117000: input changed: r01c01f01.pt modified since its last completed build"));
        Assert.That(output, Does.Contain("lock tensors: 2 item(s) vouched for by the build log and the outputs on disk, 1 cannot be vouched for"));
        Assert.That(File.ReadAllText(Sample.PathOf("data.lock.d", "tensors", "BR00117000.tsv")), Does.Not.Contain("r01c01f01"));
        Assert.That(Sample.LockSnapshot()["data.lock.d/features/BR00117000.tsv"], Is.EqualTo(built["data.lock.d/features/BR00117000.tsv"]));
    }

    [Test]
    public void Sites_without_a_completed_build_in_the_local_state_cannot_be_vouched_for()
    {
        Directory.Delete(Sample.PathOf("data", ".cpbuild", "logs"), recursive: true);

        (string output, BuildFailedException? error) = Regenerate();

        Assert.That(error, Is.Not.Null);
        Assert.That(output, Does.Contain("  CANNOT VOUCH BR00116991/r01c01f01: the local state has no completed build of it"));
    }

    [Test]
    public void A_lock_with_merge_conflict_markers_stops_a_build_naming_the_file_the_line_and_LockRegenerate()
    {
        string[] lines = File.ReadAllLines(Sample.LockPath);
        File.WriteAllLines(Sample.LockPath, [.. lines[..4], "<<<<<<< HEAD", .. lines[4..6], "=======", .. lines[4..6], ">>>>>>> other", .. lines[6..]]);

        using DataBuild build = Sample.Open();
        var verify = Assert.Throws<LockFileException>(() => build.Verify());
        var tensors = Assert.Throws<LockFileException>(() => build.Tensors());

        Assert.That(verify!.Message, Is.EqualTo($"{Sample.LockPath}:5: merge-conflict marker; resolve it or regenerate the lock (--target=LockRegenerate)."));
        Assert.That(tensors!.Message, Is.EqualTo(verify.Message));
    }

    [Test]
    public void LockRegenerate_replaces_a_lock_with_merge_conflict_markers_by_the_one_the_build_wrote()
    {
        string[] lines = File.ReadAllLines(Sample.LockPath);
        File.WriteAllLines(Sample.LockPath, [.. lines[..4], "<<<<<<< HEAD", .. lines[4..6], "=======", ">>>>>>> other", .. lines[6..]]);

        (string output, BuildFailedException? error) = Regenerate();

        Assert.That(error, Is.Null, output);
        Assert.That(output, Does.Contain($"lock: the current lock cannot be read ({Sample.LockPath}:5: merge-conflict marker"));
        Assert.That(Sample.LockSnapshot(), Is.EqualTo(built));
    }
}
