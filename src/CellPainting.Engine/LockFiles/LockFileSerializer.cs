using System.Text;
using System.Text.Json;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// The lock's one canonical spelling: keys sorted ordinally, two-space indent, LF, trailing newline, no
/// timestamps, hosts or absolute paths. Same lock, same bytes — so diffs show only what changed.
/// </summary>
public static class LockFileSerializer
{
    // Relaxed escaping keeps values such as "torch>=2.0" readable in review; the lock is never embedded in HTML.
    // The lock diff's JSON form is written the same way.
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const string CacheManifests = "cache";

    public static byte[] Serialize(LockFile lockFile)
    {
        ArgumentNullException.ThrowIfNull(lockFile);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("lock_version", LockFile.FormatVersion);
            // Written only for manifests kept out of git, so a lock with committed manifests keeps today's bytes.
            if (lockFile.Manifests == ManifestMode.Cache)
            {
                writer.WriteString("manifests", CacheManifests);
            }

            writer.WriteStartObject("targets");
            foreach ((string name, TargetLock target) in Sorted(lockFile.Targets))
            {
                writer.WriteStartObject(name);
                writer.WriteNumber("recipe", target.RecipeVersion);
                WriteStrings(writer, "params", target.Parameters);
                writer.WriteNumber("items", target.Items);
                writer.WriteStartObject("groups");
                foreach ((string groupName, GroupLock group) in Sorted(target.Groups))
                {
                    writer.WriteStartObject(groupName);
                    writer.WriteNumber("items", group.Items);
                    writer.WriteString("digest", group.Digest);
                    foreach ((string key, string value) in Sorted(group.Attributes))
                    {
                        writer.WriteString(key, value);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static LockFile Deserialize(ReadOnlySpan<byte> content, string fileName)
    {
        string text = Encoding.UTF8.GetString(content);
        int conflict = ConflictMarker.FindLine(text);
        if (conflict > 0)
        {
            throw new LockFileException($"{fileName}:{conflict}: merge-conflict marker; resolve it or regenerate the lock (--target=LockRegenerate).");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            int version = root.GetProperty("lock_version").GetInt32();
            if (version != LockFile.FormatVersion)
            {
                throw new LockFileException($"{fileName}: lock_version {version} is not supported (expected {LockFile.FormatVersion}).");
            }

            var targets = new SortedDictionary<string, TargetLock>(StringComparer.Ordinal);
            foreach (JsonProperty target in root.GetProperty("targets").EnumerateObject())
            {
                targets[target.Name] = ReadTarget(target.Value);
            }

            return new LockFile(targets, ReadManifestMode(root, fileName));
        }
        catch (JsonException exception) when (exception.LineNumber is long line)
        {
            // System.Text.Json counts lines from 0 and appends them to its message: say it once, as editors count.
            int position = exception.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            string reason = position < 0 ? exception.Message : exception.Message[..position];
            throw new LockFileException($"{fileName}:{line + 1}: not a valid lock file: {reason}", exception);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LockFileException($"{fileName}: not a valid lock file: {exception.Message}", exception);
        }
    }

    private static ManifestMode ReadManifestMode(JsonElement root, string fileName)
    {
        if (!root.TryGetProperty("manifests", out JsonElement manifests))
        {
            return ManifestMode.Commit;
        }

        return manifests.GetString() == CacheManifests
            ? ManifestMode.Cache
            : throw new LockFileException($"{fileName}: manifests '{manifests}' is not supported (expected \"{CacheManifests}\", or no key for committed manifests).");
    }

    private static TargetLock ReadTarget(JsonElement element)
    {
        var groups = new SortedDictionary<string, GroupLock>(StringComparer.Ordinal);
        foreach (JsonProperty group in element.GetProperty("groups").EnumerateObject())
        {
            var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty property in group.Value.EnumerateObject().Where(property => property.Name is not ("items" or "digest")))
            {
                attributes[property.Name] = property.Value.GetString()!;
            }

            groups[group.Name] = new GroupLock(group.Value.GetProperty("items").GetInt32(), group.Value.GetProperty("digest").GetString()!, attributes);
        }

        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty parameter in element.GetProperty("params").EnumerateObject())
        {
            parameters[parameter.Name] = parameter.Value.GetString()!;
        }

        return new TargetLock(element.GetProperty("recipe").GetInt32(), parameters, groups);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> values)
    {
        writer.WriteStartObject(name);
        foreach ((string key, string value) in Sorted(values))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static IEnumerable<KeyValuePair<string, T>> Sorted<T>(IReadOnlyDictionary<string, T> values) =>
        values.OrderBy(pair => pair.Key, StringComparer.Ordinal);
}
