using System.Security.Cryptography;

namespace CellPainting.Stages.Features;

/// <summary>
/// Provenance of the ONNX backbone: the file path from config and its SHA-256, verified against the digest the config
/// pins. The verified digest is what feature fingerprints should include, so a swapped model rebuilds the features.
/// </summary>
public sealed class FeatureModel
{
    private FeatureModel(string path, string sha256)
    {
        Path = path;
        Sha256 = sha256;
    }

    /// <summary>Full path of the ONNX file.</summary>
    public string Path { get; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public string Sha256 { get; }

    /// <summary>Hashes <paramref name="onnxPath"/> and checks it against <paramref name="expectedSha256"/> (64 hex digits, any case).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The expected digest is not 64 hex digits.</exception>
    /// <exception cref="InvalidDataException">The file's digest differs; the message names both digests.</exception>
    public static FeatureModel Open(string onnxPath, string expectedSha256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        ArgumentNullException.ThrowIfNull(expectedSha256);
        var expected = expectedSha256.Trim().ToLowerInvariant();
        if (expected.Length != 64 || !expected.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"Expected SHA-256 of the feature model must be 64 hex digits, got '{expectedSha256}'.", nameof(expectedSha256));
        }

        var path = System.IO.Path.GetFullPath(onnxPath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Feature model not found: {path}", path);
        }

        var actual = ComputeSha256(path);
        if (actual != expected)
        {
            throw new InvalidDataException(
                $"Feature model {path} has SHA-256 {actual}, but the configuration expects {expected}. "
                + "Re-export the model or update the configured digest.");
        }

        return new FeatureModel(path, actual);
    }

    /// <summary>Lower-case hex SHA-256 of a file, read as a stream (ViT-L exports are over 1 GB).</summary>
    public static string ComputeSha256(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
