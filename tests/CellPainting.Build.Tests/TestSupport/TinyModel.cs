namespace CellPainting.Build.Tests.TestSupport;

/// <summary>
/// The committed tiny DINOv3-shaped models and the config section the tests run them with: models/tiny-dinov3.onnx,
/// and models/tiny-dinov3-seed1.onnx, the same architecture with other weights, for tests that change the model.
/// </summary>
internal static class TinyModel
{
    public const string Sha256 = "af8e403848b59ef3ceb00c81863e212c1012d7162faab949d003a8b472ca1b84";

    public const string OtherSha256 = "ab6b9338cfe2c6befcc74b9829643909aa20c02e89cdc44240a733796cb321ba";

    public static string Path => System.IO.Path.Combine(ModelsDirectory, "tiny-dinov3.onnx");

    public static string OtherPath => System.IO.Path.Combine(ModelsDirectory, "tiny-dinov3-seed1.onnx");

    /// <summary>The repository's models/ folder (also holds make_tiny_dinov3.py, the PyTorch definition).</summary>
    public static string ModelsDirectory => System.IO.Path.Combine(RepositoryRoot(), "models");

    /// <summary>A one-line <c>extraction</c> section: the tiny model on the CPU, 64×64 input, two sites a batch.</summary>
    public static string ExtractionSection => ExtractionSectionFor(Path, Sha256);

    /// <summary>The same section for another model file, digest, features layout (reference or variant) or device.</summary>
    public static string ExtractionSectionFor(string modelPath, string sha256, string layout = "reference", string device = "cpu") =>
        $$"""extraction: { model: "tiny", model_path: "{{modelPath}}", model_sha256: "{{sha256}}", input_size: 64, device: "{{device}}", batch_size: 2, layout: "{{layout}}" }""";

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
