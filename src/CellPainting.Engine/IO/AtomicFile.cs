namespace CellPainting.Engine.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the whole new content, never a part:
/// write a temporary sibling, flush it to disk, then rename it over the target.
/// </summary>
public static class AtomicFile
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

    private static string TemporaryPathFor(string path) =>
        $"{path}{TemporaryMarker}{Environment.ProcessId}-{Guid.NewGuid():N}";

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
