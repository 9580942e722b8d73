using System.Globalization;
using System.Text.RegularExpressions;

namespace CellPainting.Stages.Sites;

/// <summary>
/// Finds the sites of a plate from its image file names, as the reference's <c>discover_sites</c>: the name pattern,
/// channels 1–5 required, brightfield 6–8 ignored, and for several planes of one channel the last in name order wins.
/// Unlike the reference, incomplete sites are returned so they can be reported.
/// </summary>
public static partial class SiteDiscovery
{
    public static readonly IReadOnlyList<int> FluorescenceChannels = [1, 2, 3, 4, 5];

    [GeneratedRegex(@"^r(?<row>\d{2})c(?<col>\d{2})f(?<field>\d{2})p(?<plane>\d{2})-ch(?<channel>\d+)sk1fk1fl1\.(?:tiff|tif|jpg|jpeg|jp2|webp|png)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImageName();

    public static PlateScan Scan(string barcode, string imageDirectory)
    {
        ArgumentNullException.ThrowIfNull(barcode);
        ArgumentNullException.ThrowIfNull(imageDirectory);
        if (!Directory.Exists(imageDirectory))
        {
            return new PlateScan(barcode, imageDirectory, [], [], $"image directory not found: {imageDirectory}");
        }

        string[] names = Directory.EnumerateFiles(imageDirectory).Select(Path.GetFileName).ToArray()!;
        Array.Sort(names, StringComparer.Ordinal);
        var sites = new SortedDictionary<SiteKey, Dictionary<int, string>>();
        foreach (string name in names)
        {
            Match match = ImageName().Match(name);
            if (!match.Success)
            {
                continue; // Index.idx.xml and other export files
            }

            int channel = int.Parse(match.Groups["channel"].ValueSpan, CultureInfo.InvariantCulture);
            if (channel is < 1 or > 5)
            {
                continue; // brightfield planes
            }

            var key = new SiteKey(Number(match, "row"), Number(match, "col"), Number(match, "field"));
            if (!sites.TryGetValue(key, out Dictionary<int, string>? channels))
            {
                channels = [];
                sites[key] = channels;
            }

            channels[channel] = Path.Combine(imageDirectory, name);
        }

        var complete = new List<DiscoveredSite>();
        var incomplete = new List<IncompleteSite>();
        foreach ((SiteKey key, Dictionary<int, string> channels) in sites)
        {
            int[] missing = FluorescenceChannels.Where(channel => !channels.ContainsKey(channel)).ToArray();
            if (missing.Length == 0)
            {
                complete.Add(new DiscoveredSite(barcode, key, channels));
            }
            else
            {
                incomplete.Add(new IncompleteSite(barcode, key, missing));
            }
        }

        return new PlateScan(barcode, imageDirectory, complete, incomplete, null);
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture);
}
