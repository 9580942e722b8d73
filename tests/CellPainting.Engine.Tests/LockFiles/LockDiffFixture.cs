using System.Text;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;

namespace CellPainting.Engine.Tests.LockFiles;

/// <summary>
/// A pair of small locks, base and head, written through <see cref="LockStore"/>, between which every kind of change
/// a lock review reports happens once: recipe and parameters, groups added and removed, items added, removed and
/// changed (more than a diff names), object sizes, group attributes, a target added, one removed, one unchanged.
/// </summary>
public static class LockDiffFixture
{
    private const string Url = "s3://bucket/source/";

    public static void WriteBase(LockStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Record(
            Stage("copy", 1, ("sigma", "1.5"), ("note", "plain")),
            [
                .. Enumerable.Range(1, 7).Select(site => Site("plate-A", site, "1", "1")),
                Site("plate-B", 1, "1", "1"),
                Site("plate-B", 2, "1", "1"),
            ]);
        store.Record(Stage("illum", 1), [Site("plate-A", 1, "1", "1"), Site("plate-B", 1, "1", "1")]);
        store.Record(Stage("index", 2, ("format", "index/1")), [new BuildRecord("index/all", "index", Hash("index"), 2, string.Empty, [], [new HashedName("index", Hash("index out"))])]);
        store.Record("download", 1, Values(("bucket", "bucket")), new Dictionary<string, GroupContent>
        {
            ["plate-A"] = Objects("plate-A/", ("a.tiff", "e1", 1500), ("b.tiff", "e2", 2500), ("c.tiff", "e3", 3500)),
            ["plate-B"] = Objects("plate-B/", ("a.tiff", "e4", 100)),
            ["meta"] = Objects("meta/", ("map.txt", "e5", 10)),
        });
    }

    public static void WriteHead(LockStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        // plate-A: sites 1-6 rebuilt (new fingerprints; outputs changed for 1-3), site 7 gone, site 8 new;
        // plate-B gone, plate-C new.
        store.Record(
            Stage("copy", 2, ("sigma", "2.0"), ("note", "uses `--fast`"), ("mode", "fast")),
            [
                .. Enumerable.Range(1, 6).Select(site => Site("plate-A", site, "2", site <= 3 ? "2" : "1")),
                Site("plate-A", 8, "1", "1"),
                Site("plate-C", 1, "1", "1"),
            ]);
        store.Record(Stage("index", 2, ("format", "index/1")), [new BuildRecord("index/all", "index", Hash("index"), 2, string.Empty, [], [new HashedName("index", Hash("index out"))])]);
        store.Record(Stage("splits", 1, ("seed", "42")), [Split("train"), Split("val")]);
        store.Record("download", 1, Values(("bucket", "bucket")), new Dictionary<string, GroupContent>
        {
            ["plate-A"] = Objects("plate-A/", ("a.tiff", "e1-new", 1500), ("b.tiff", "e2-new", 2600), ("c.tiff", "e3", 3500), ("d.tiff", "e6", 4500)),
            ["plate-B"] = Objects("plate-B/", ("a.tiff", "e4", 100)),
            ["plate-C"] = Objects("plate-C/", ("a.tiff", "e7", 1_200_000), ("b.tiff", "e8", 1_300_000)),
        });
    }

    private static CopyStage Stage(string name, int recipe, params (string Key, string Value)[] parameters) =>
        new([]) { Name = name, RecipeVersion = recipe, Parameters = new(Values(parameters)) };

    private static Dictionary<string, string> Values(params (string Key, string Value)[] values) =>
        values.ToDictionary(pair => pair.Key, pair => pair.Value);

    private static BuildRecord Site(string plate, int site, string inputVersion, string outputVersion)
    {
        string id = $"{plate}/site-{site:D2}";
        return new BuildRecord(id, plate, Hash($"fingerprint {id} {inputVersion}"), 1, string.Empty, [], [new HashedName("out", Hash($"out {id} {outputVersion}"))]);
    }

    private static BuildRecord Split(string name) =>
        new($"splits/{name}", "splits", Hash("split " + name), 1, string.Empty, [], [new HashedName("split", Hash("split out " + name))]);

    private static GroupContent Objects(string prefix, params (string Key, string ETag, long Size)[] objects)
    {
        var manifest = new StringBuilder("# key\tetag\tsize\tsha256\n");
        foreach ((string key, string etag, long size) in objects)
        {
            manifest.Append(System.Globalization.CultureInfo.InvariantCulture, $"{key}\t{etag}\t{size}\t{Hash(prefix + key + etag)[..16]}\n");
        }

        return new GroupContent(
            Encoding.UTF8.GetBytes(manifest.ToString()),
            objects.Length,
            new Dictionary<string, string> { ["url"] = Url + prefix, ["bytes"] = objects.Sum(entry => entry.Size).ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static string Hash(string text) => ContentHash.OfText(text);
}
