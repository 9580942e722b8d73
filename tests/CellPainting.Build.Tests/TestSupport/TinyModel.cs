namespace CellPainting.Build.Tests.TestSupport;

/// <summary>The committed tiny DINOv3-shaped model (models/tiny-dinov3.onnx) and the config section the tests run it with.</summary>
internal static class TinyModel
{
    public const string Sha256 = "af8e403848b59ef3ceb00c81863e212c1012d7162faab949d003a8b472ca1b84";

    public static string Path => System.IO.Path.Combine(RepositoryRoot(), "models", "tiny-dinov3.onnx");

    /// <summary>A one-line <c>extraction</c> section: the tiny model on the CPU, 64×64 input, two sites a batch.</summary>
    public static string ExtractionSection => ExtractionSectionOn("cpu");

    /// <summary>The same section with another <c>device</c> (<c>auto</c>, <c>cuda</c>).</summary>
    public static string ExtractionSectionOn(string device) =>
        $$"""extraction: { model: "tiny", model_path: "{{Path}}", model_sha256: "{{Sha256}}", input_size: 64, device: "{{device}}", batch_size: 2 }""";

    private static string RepositoryRoot()
    {
        DirectoryInfo? directory = new(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "CellPaintingBuild.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
