using CellPainting.Stages.Metadata;
using CellPainting.Stages.Tests.Sample;

namespace CellPainting.Stages.Tests.Metadata;

/// <summary>A throw-away copy of the real metadata folder that a test can break on purpose.</summary>
internal sealed class MetadataTree : IDisposable
{
    public MetadataTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "cp-metadata-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(CpJump1Sample.MetadataDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(CpJump1Sample.MetadataDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Root { get; }

    public string BatchDirectory => Path.Combine(Root, "platemaps", CpJump1Sample.Batch);

    public string BarcodePlatemapPath => Path.Combine(BatchDirectory, MetadataInputs.BarcodePlatemapFileName);

    public string PlatemapPath(string kind) => Path.Combine(BatchDirectory, "platemap", $"JUMP-Target-1_{kind}_platemap.txt");

    public string ExternalPath(string fileName) => Path.Combine(Root, "external_metadata", fileName);

    /// <summary>Replaces the first occurrence of <paramref name="oldText"/> in a file, failing if it is absent.</summary>
    public void Edit(string path, string oldText, string newText)
    {
        var text = File.ReadAllText(path);
        var at = text.IndexOf(oldText, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"'{oldText}' not in {path}");
        File.WriteAllText(path, string.Concat(text.AsSpan(0, at), newText, text.AsSpan(at + oldText.Length)));
    }

    /// <summary>1-based line of the first line starting with <paramref name="prefix"/>.</summary>
    public static int LineOf(string path, string prefix) =>
        File.ReadAllLines(path).Select((line, i) => (line, i)).First(p => p.line.StartsWith(prefix, StringComparison.Ordinal)).i + 1;

    public MetadataBuildResult Load(params string[] barcodes) => MetadataLoader.Load(MetadataInputs.Discover(Root, CpJump1Sample.Batch), barcodes);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
