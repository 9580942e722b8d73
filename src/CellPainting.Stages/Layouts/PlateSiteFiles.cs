using CellPainting.Engine.Items;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Sites;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// The site files (<c>rRRcCCfFF.pt</c>) a plate's folder holds now, as the layout targets read them: each is an input
/// named by its file name, so a site added, removed or rewritten changes the plate's items. Other names are left out.
/// </summary>
public static class PlateSiteFiles
{
    public const string Extension = ".pt";

    /// <summary>Per configured barcode (sorted) its site files in site order, or the reason it has none (a skipped item).</summary>
    public static IEnumerable<(string Barcode, IReadOnlyList<(SiteKey Key, ItemInput Input)>? Sites, string? Missing)> In(BuildConfig config, string root, string kind)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (string barcode in config.Plates.Select(plate => plate.Barcode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            string folder = Path.Combine(root, barcode);
            if (!Directory.Exists(folder))
            {
                yield return (barcode, null, $"no {kind} folder {folder}");
                continue;
            }

            var sites = new List<(SiteKey Key, ItemInput Input)>();
            foreach (string path in Directory.EnumerateFiles(folder))
            {
                string name = Path.GetFileName(path);
                if (SiteKey.TryParseFileName(name, Extension, out SiteKey key))
                {
                    sites.Add((key, new ItemInput(name, path)));
                }
            }

            sites.Sort((left, right) => left.Key.CompareTo(right.Key));
            yield return sites.Count == 0 ? (barcode, null, $"no site files in {folder}") : (barcode, sites, null);
        }
    }
}
