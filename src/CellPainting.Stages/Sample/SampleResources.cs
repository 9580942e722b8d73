using System.Reflection;

namespace CellPainting.Stages.Sample;

/// <summary>The real CPJUMP1 metadata files embedded in this assembly (see Sample/cpjump1-sample/SOURCES.md).</summary>
public static class SampleResources
{
    private const string Prefix = "cpjump1-sample/";

    /// <summary>Relative paths (with '/') of every embedded file under cpjump1-sample/.</summary>
    public static IReadOnlyList<string> Files { get; } = typeof(SampleResources).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(name => name[Prefix.Length..].Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static byte[] Read(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        Assembly assembly = typeof(SampleResources).Assembly;
        string? name = assembly.GetManifestResourceNames()
            .FirstOrDefault(candidate => candidate.Replace('\\', '/') == Prefix + relativePath);
        using Stream stream = (name is null ? null : assembly.GetManifestResourceStream(name))
            ?? throw new FileNotFoundException($"No embedded sample file '{relativePath}'.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
