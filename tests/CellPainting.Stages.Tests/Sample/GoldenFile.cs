using System.Text;

namespace CellPainting.Stages.Tests.Sample;

/// <summary>
/// Compares bytes with a golden file under tests/CellPainting.Stages.Tests. Set CELLPAINTING_UPDATE_GOLDEN=1 to rewrite
/// the file after a deliberate format change (then review the diff before committing).
/// </summary>
internal static class GoldenFile
{
    public static void AssertMatches(string relativePath, byte[] actual)
    {
        var path = Path.Combine(CpJump1Sample.RepositoryRoot, "tests", "CellPainting.Stages.Tests", relativePath);
        if (Environment.GetEnvironmentVariable("CELLPAINTING_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, actual);
        }

        Assert.That(File.Exists(path), Is.True, $"golden file {path} is missing");
        var expected = File.ReadAllBytes(path);
        Assert.That(Encoding.UTF8.GetString(actual), Is.EqualTo(Encoding.UTF8.GetString(expected)), $"text differs from golden file {path}");
        Assert.That(actual, Is.EqualTo(expected), $"bytes differ from golden file {path}");
    }
}
