using System.Text.RegularExpressions;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Stages.Torch;

namespace CellPainting.Build.Tests;

/// <summary>The Verify target end to end on the synthesised sample.</summary>
public sealed class VerifyRunnerTests : BuiltSample
{
    private const string Site = "BR00117000/r01c01f01";

    /// <summary>Runs Verify, then deletes the scratch folder it keeps for inspection when a sample did not reproduce.</summary>
    private (string Output, BuildFailedException? Error) Verify(int sampleSize = 0, int? seed = null)
    {
        (string output, BuildFailedException? error) = Sample.Run(build => build.Verify(sampleSize, seed));
        Match kept = Regex.Match(output, "the rebuilt sample is kept in (\\S+) for inspection");
        if (kept.Success)
        {
            Directory.Delete(kept.Groups[1].Value, recursive: true);
        }

        return (output, error);
    }

    private string TensorOf(string site) => Sample.PathOf("data", "tensors", site.Split('/')[0], site.Split('/')[1] + ".pt");

    private string FeaturesOf(string site) => Sample.PathOf("data", "features", site.Split('/')[0], site.Split('/')[1] + ".pt");

    [Test]
    public void Verify_passes_on_a_fresh_build()
    {
        (string output, BuildFailedException? error) = Verify();

        Assert.That(error, Is.Null, output);
        Assert.That(output, Does.Contain("verify tensors: 3 item(s), 3 file(s) re-hashed"));
        Assert.That(output, Does.Contain("verify features: 3 item(s), 3 file(s) re-hashed"));
        Assert.That(output, Does.Contain("verify: every output matches the lock"));
    }

    [Test]
    public void Verify_names_a_modified_and_a_missing_output_and_fails()
    {
        byte[] bytes = File.ReadAllBytes(TensorOf(Site));
        bytes[^100] ^= 0x01;
        File.WriteAllBytes(TensorOf(Site), bytes);
        File.Delete(FeaturesOf("BR00116991/r01c01f01"));

        (string output, BuildFailedException? error) = Verify();

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.StartWith("verify: 2 problem(s)"));
        Assert.That(output, Does.Contain("verify tensors: 3 item(s), 3 file(s) re-hashed").And.Contain(": 1 modified"));
        Assert.That(output, Does.Contain($"  MODIFIED {Site}: {TensorOf(Site)}: sha256 "));
        Assert.That(output, Does.Contain($"  MISSING BR00116991/r01c01f01: {FeaturesOf("BR00116991/r01c01f01")}"));
    }

    [Test]
    public void After_Verify_the_next_build_rebuilds_exactly_the_modified_output_and_Verify_passes_again()
    {
        byte[] bytes = File.ReadAllBytes(TensorOf(Site));
        bytes[^100] ^= 0x01;
        File.WriteAllBytes(TensorOf(Site), bytes);
        Verify();

        using (DataBuild build = Sample.Open())
        {
            Assert.That(build.Tensors().Outcomes.Single(outcome => outcome.Kind == Engine.Execution.OutcomeKind.Built).ItemId, Is.EqualTo(Site));
        }

        Assert.That(Verify().Error, Is.Null);
    }

    [Test]
    public void Verify_reports_sites_the_lock_records_that_the_plan_no_longer_has()
    {
        Sample.WriteConfig(plates: [SampleRoot.FirstPlate]);

        (string output, BuildFailedException? error) = Verify();

        Assert.That(error, Is.Not.Null);
        Assert.That(output, Does.Contain($"  NOT IN THE PLAN {Site}: recorded in the lock, but the current plan has no such item"));
    }

    [Test]
    public void Verify_reports_sites_of_the_plan_that_the_lock_does_not_record()
    {
        Sample.WriteConfig(plates: [SampleRoot.FirstPlate]);
        Sample.RunAll();
        Sample.WriteConfig();

        (string output, BuildFailedException? error) = Verify();

        Assert.That(error, Is.Not.Null);
        Assert.That(output, Does.Contain($"  NOT IN THE LOCK {Site}: in the current plan, but the lock does not record it"));
    }

    [Test]
    public void A_manifest_edited_by_hand_is_reported_as_out_of_step_with_the_lock()
    {
        string manifest = Sample.PathOf("data.lock.d", "tensors", "BR00117000.tsv");
        File.AppendAllText(manifest, "# a note\n");

        (string output, BuildFailedException? error) = Verify();

        Assert.That(error, Is.Not.Null);
        Assert.That(output, Does.Contain("  LOCK INCONSISTENT data.lock.d/tensors/BR00117000.tsv: does not match its digest in data.lock.json"));
    }

    [Test]
    public void A_sample_rebuild_reproduces_every_target_byte_for_byte_and_touches_no_file_of_the_data_root()
    {
        Dictionary<string, byte[]> before = Sample.Snapshot(_ => true);

        (string output, BuildFailedException? error) = Verify(sampleSize: 2, seed: 5);

        Assert.That(error, Is.Null, output);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("sample tensors: 2 of 3 recorded item(s) rebuilt in scratch").And.Contain("]: 2 byte-identical\n"));
            Assert.That(output, Does.Contain("sample features: 2 of 3 recorded item(s) rebuilt in scratch"));
            Assert.That(output, Does.Contain("sample metadata: 1 of 1 recorded item(s) rebuilt in scratch"));
            Assert.That(output, Does.Contain("sample splits: 2 of 4 recorded item(s) rebuilt in scratch"));
            Assert.That(output, Does.Not.Contain("NOT REPRODUCED"));
        });
        Assert.That(Sample.Snapshot(_ => true), Is.EqualTo(before));
    }

    [Test]
    public void A_sample_rebuild_catches_an_output_that_matches_the_lock_but_does_not_reproduce()
    {
        byte[] bytes = File.ReadAllBytes(TensorOf(Site));
        bytes[^100] ^= 0x01;
        Sample.RecordOtherBytes("tensors", Site, TensorOf(Site), bytes);

        (string output, BuildFailedException? error) = Verify(sampleSize: 3, seed: 1);

        Assert.That(error, Is.Not.Null);
        Assert.That(output, Does.Contain("verify tensors: 3 item(s), 3 file(s) re-hashed").And.Contain("all match the lock"));
        Assert.That(output, Does.Contain("sample tensors: 3 of 3 recorded item(s) rebuilt in scratch").And.Contain("2 byte-identical, 1 not reproduced"));
        Assert.That(output, Does.Contain($"  NOT REPRODUCED {Site}: tensor rebuilt as sha256 "));
        Assert.That(output, Does.Contain("the rebuilt sample is kept in"));
    }

    [Test]
    public void A_feature_within_the_GPU_tolerance_passes_where_the_model_may_run_on_CUDA()
    {
        Sample.WriteConfig(device: "auto");
        Sample.RecordOtherBytes("features", Site, FeaturesOf(Site), Nudged(FeaturesOf(Site), 1e-5f));

        (string output, BuildFailedException? error) = Verify(sampleSize: 3, seed: 1);

        Assert.That(error, Is.Null, output);
        Assert.That(output, Does.Contain("2 byte-identical, 1 within tolerance"));
        Assert.That(output, Does.Contain($"  within tolerance {Site}: features: largest value difference 1E-05 <= 0.001"));
    }

    [Test]
    public void A_feature_beyond_the_GPU_tolerance_is_not_reproduced()
    {
        Sample.WriteConfig(device: "auto");
        Sample.RecordOtherBytes("features", Site, FeaturesOf(Site), Nudged(FeaturesOf(Site), 0.01f));

        (string output, BuildFailedException? error) = Verify(sampleSize: 3, seed: 1);

        Assert.That(error, Is.Not.Null);
        Assert.That(output, Does.Contain($"  NOT REPRODUCED {Site}: features rebuilt as sha256 ").And.Contain("largest value difference 0.01 > 0.001"));
    }

    [Test]
    public void With_device_cpu_a_feature_must_be_byte_identical()
    {
        Sample.RecordOtherBytes("features", Site, FeaturesOf(Site), Nudged(FeaturesOf(Site), 1e-5f));

        (string output, BuildFailedException? error) = Verify(sampleSize: 3, seed: 1);

        Assert.That(error, Is.Not.Null);
        Assert.That(output, Does.Contain($"  NOT REPRODUCED {Site}: features rebuilt as sha256 "));
    }

    /// <summary>The .pt file's bytes with its first value moved by <paramref name="delta"/>.</summary>
    private static byte[] Nudged(string path, float delta)
    {
        TorchTensor tensor;
        using (FileStream stream = File.OpenRead(path))
        {
            tensor = TorchFile.ReadFloat32(stream);
        }

        float[] values = tensor.Data.ToArray();
        values[0] += delta;
        using var buffer = new MemoryStream();
        TorchFile.WriteFloat32(buffer, tensor.RecordPrefix, tensor.Shape.ToArray(), values);
        return buffer.ToArray();
    }
}
