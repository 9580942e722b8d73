using System.Text.Encodings.Web;
using System.Text.Json;
using CellPainting.Engine.LockFiles;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// The Gallery-style manifest of the profiles, <c>&lt;gallery&gt;/workspace_dl/profiles/&lt;variant&gt;/profile_index.json</c>,
/// in the shape of the JUMP <c>profile_index.json</c>: an array of <c>{subset, url, recipe_permalink,
/// config_permalink, etag}</c>, one per file, in url order. It is made from the lock's <c>profiles</c> section alone
/// (the etag is the output's SHA-256 recorded there), so it describes what the lock vouches for. The permalinks are
/// null unless both the recipe repository (config) and the commit (given at run time) are known: reading the
/// checkout's HEAD would change the file on every commit, and a dirty tree's HEAD does not name the code that ran.
/// UTF-8, 2-space indent, LF, final newline.
/// </summary>
public static class ProfileIndexJson
{
    public const string FileName = "profile_index.json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The entries of every plate the lock records for <paramref name="stage"/>.</summary>
    /// <param name="repository">The recipe repository's URL, or null.</param>
    /// <param name="commit">The commit the build ran from, or null.</param>
    /// <param name="configPath">The config's path in the repository, with '/'.</param>
    public static IReadOnlyList<ProfileIndexEntry> Entries(LockStore store, ProfilesStage stage, string? repository, string? commit, string configPath)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(stage);
        bool known = repository is not null && commit is not null;
        string? recipe = known ? $"{repository}/tree/{commit}" : null;
        string? config = known ? $"{repository}/blob/{commit}/{configPath}" : null;
        var entries = new List<ProfileIndexEntry>();
        if (!store.Load().Targets.TryGetValue(stage.Name, out TargetLock? target))
        {
            return entries;
        }

        foreach (string group in target.Groups.Keys)
        {
            // The lock lists the group, so a manifest no place has is an error there, naming the places looked.
            string manifest = store.ReadManifest(stage.Name, group)!;
            foreach (ManifestLine line in ItemManifest.Parse(manifest, store.ManifestPath(stage.Name, group)))
            {
                foreach (var output in line.Outputs)
                {
                    string url = stage.RelativePath(line.ItemId, output.Name);
                    entries.Add(new ProfileIndexEntry(url[..url.LastIndexOf('/')] + "/" + output.Name, url, recipe, config, "sha256:" + output.Hash));
                }
            }
        }

        return [.. entries.OrderBy(entry => entry.Url, StringComparer.Ordinal)];
    }

    public static byte[] Serialize(IReadOnlyList<ProfileIndexEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (ProfileIndexEntry entry in entries)
            {
                writer.WriteStartObject();
                writer.WriteString("subset", entry.Subset);
                writer.WriteString("url", entry.Url);
                writer.WriteString("recipe_permalink", entry.RecipePermalink);
                writer.WriteString("config_permalink", entry.ConfigPermalink);
                writer.WriteString("etag", entry.Etag);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
