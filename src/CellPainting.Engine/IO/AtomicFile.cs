using System.Text.RegularExpressions;

namespace CellPainting.Engine.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the whole new content, never a part:
/// write a temporary sibling, flush it to disk, then rename it over the target.
/// </summary>
public static partial class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        byte[] copy = content.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    public static void WriteAllText(string path, string content) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>Temporary names carry this marker so leftovers of a killed run can be recognised and removed.</summary>
    public const string TemporaryMarker = ".tmp-";

    /// <summary>
    /// Deletes the temporary files a killed writer left beside <paramref name="paths"/>: only names of the form
    /// <c>&lt;one of those paths&gt;.tmp-&lt;pid&gt;-&lt;32 hex digits&gt;</c>, which no one else writes. Call it only while
    /// no other writer of those paths can be running (under the run lock); returns how many were deleted.
    /// </summary>
    public static int RemoveLeftovers(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        int removed = 0;
        // Grouped by the folder as written, made absolute once per folder rather than once per output.
        foreach (IGrouping<string, string> folder in paths.GroupBy(path => Path.GetDirectoryName(path) ?? string.Empty, StringComparer.Ordinal))
        {
            string directory = Path.GetFullPath(folder.Key.Length == 0 ? "." : folder.Key);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            // Made only for a folder with a leftover: a no-op finds none among a plate's thousands of outputs.
            HashSet<string>? targets = null;
            foreach (string candidate in Directory.EnumerateFiles(directory, "*" + TemporaryMarker + "*"))
            {
                string name = Path.GetFileName(candidate);
                targets ??= folder.Select(path => Path.GetFileName(path)).ToHashSet(StringComparer.Ordinal);
                if (IsTemporaryName(name) && targets.Contains(name[..name.LastIndexOf(TemporaryMarker, StringComparison.Ordinal)]))
                {
                    File.Delete(candidate);
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>Whether a file name is one of this writer's temporary names (<c>&lt;name&gt;.tmp-&lt;pid&gt;-&lt;32 hex digits&gt;</c>).</summary>
    public static bool IsTemporaryName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        int marker = fileName.LastIndexOf(TemporaryMarker, StringComparison.Ordinal);
        return marker > 0 && TemporarySuffix().IsMatch(fileName.AsSpan(marker + TemporaryMarker.Length));
    }

    /// <summary>A fresh temporary sibling name of <paramref name="path"/> (a file, or a folder staged whole and renamed).</summary>
    public static string TemporaryPathFor(string path) =>
        $"{path}{TemporaryMarker}{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>What <see cref="TemporaryPathFor"/> puts after the marker: the writer's process id and a random GUID.</summary>
    [GeneratedRegex("^[0-9]+-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporarySuffix();

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting.
        }
    }
}
