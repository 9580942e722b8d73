using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class FeatureModelTests
{
    private const string OtherDigest = "0000000000000000000000000000000000000000000000000000000000000000";

    [Test]
    public void The_committed_model_matches_the_digest_its_generator_recorded()
    {
        var reference = TinyDinov3Reference.Instance;

        var model = FeatureModel.Open(reference.ModelPath, reference.ModelSha256.ToUpperInvariant());

        Assert.That(model.Sha256, Is.EqualTo(reference.ModelSha256));
    }

    [Test]
    public void A_model_with_another_digest_is_an_error_naming_both_digests()
    {
        var reference = TinyDinov3Reference.Instance;

        Assert.That(
            () => FeatureModel.Open(reference.ModelPath, OtherDigest),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains(reference.ModelSha256).And.Message.Contains(OtherDigest));
    }

    [Test]
    public void A_digest_that_is_not_64_hex_digits_is_rejected()
    {
        Assert.That(() => FeatureModel.Open(TinyDinov3Reference.Instance.ModelPath, "sha256:abc"), Throws.ArgumentException);
    }

    [Test]
    public void A_missing_model_file_is_reported_with_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.onnx");

        Assert.That(() => FeatureModel.Open(path, OtherDigest), Throws.TypeOf<FileNotFoundException>().With.Message.Contains(path));
    }
}
