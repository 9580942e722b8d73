using CellPainting.Engine.State;
using CellPainting.Stages.Configuration;

namespace CellPainting.Build;

/// <summary>The configured ONNX model's SHA-256, from the stat cache (the model is not read while its stamp holds), checked against the config's.</summary>
internal static class FeatureModelDigest
{
    public static string Of(BuildConfig config, StatCache statCache)
    {
        string modelPath = config.Extraction.ModelPath
            ?? throw new ConfigException($"{config.SourceFile}: cpjump.extraction.model_path is not set; the Features target needs an ONNX model (see README).");
        FileStamp stamp = FileStatReader.TryRead(modelPath) ?? throw new ConfigException($"{config.SourceFile}: model file not found: {modelPath}");
        string digest = statCache.HashOf(modelPath, stamp);
        string? expected = config.Extraction.ModelSha256;
        if (expected is null || !string.Equals(expected, digest, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigException($"{config.SourceFile}: cpjump.extraction.model_sha256 is {expected ?? "not set"} but {modelPath} has SHA-256 {digest}.");
        }

        return digest;
    }
}
