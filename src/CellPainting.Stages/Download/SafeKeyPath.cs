using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace CellPainting.Stages.Download;

/// <summary>
/// Maps an object key (relative to a sync unit's prefix) onto a local path, refusing any key that could land outside
/// the destination. Keys come from a remote listing, so they are untrusted input.
/// </summary>
public static class SafeKeyPath
{
    // Look-alike slashes some tools fold into '/' or '\' when copying names around.
    private static readonly SearchValues<char> OddSeparators = SearchValues.Create("\\:\u2044\u2215\u2216\u29F5\u29F8\uFE68\uFF0F\uFF3C");

    /// <summary>Checks that <paramref name="relativeKey"/> is a plain relative path of non-empty, non-dot segments.</summary>
    /// <param name="relativeKey">Key below the unit prefix, '/'-separated.</param>
    /// <param name="reason">Why the key was refused; null when it is safe.</param>
    public static bool TryValidate(string relativeKey, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(relativeKey);
        reason = Check(relativeKey);
        return reason is null;
    }

    /// <summary>Resolves <paramref name="relativeKey"/> below <paramref name="destinationRoot"/> when it is safe.</summary>
    /// <param name="destinationRoot">Local folder of the sync unit.</param>
    /// <param name="relativeKey">Key below the unit prefix, '/'-separated.</param>
    /// <param name="fullPath">Absolute local path inside the root; null when refused.</param>
    /// <param name="reason">Why the key was refused (names the key); null when it is safe.</param>
    public static bool TryResolve(
        string destinationRoot,
        string relativeKey,
        [NotNullWhen(true)] out string? fullPath,
        [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(destinationRoot);
        ArgumentNullException.ThrowIfNull(relativeKey);
        fullPath = null;

        var problem = Check(relativeKey);
        if (problem is not null)
        {
            reason = $"Refused key '{relativeKey}': {problem}; it could land outside '{destinationRoot}'.";
            return false;
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destinationRoot));
        var candidate = Path.GetFullPath(Path.Combine(root, relativeKey.Replace('/', Path.DirectorySeparatorChar)));

        // Belt and braces: the segment checks above should make this unreachable on every platform.
        if (!candidate.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            reason = $"Refused key '{relativeKey}': it resolves to '{candidate}', outside '{root}'.";
            return false;
        }

        fullPath = candidate;
        reason = null;
        return true;
    }

    private static string? Check(string key)
    {
        if (key.Length == 0)
        {
            return "the key is empty";
        }

        if (key[0] == '/')
        {
            return "the key is absolute";
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                return $"it contains control character U+{(int)c:X4}";
            }
        }

        var odd = key.AsSpan().IndexOfAny(OddSeparators);
        if (odd >= 0)
        {
            return $"it contains the separator-like character '{key[odd]}' (U+{(int)key[odd]:X4})";
        }

        foreach (var segment in key.Split('/'))
        {
            switch (segment)
            {
                case "":
                    return "it has an empty path segment";
                case ".":
                case "..":
                    return $"it has a '{segment}' segment";
            }
        }

        return null;
    }
}
