using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
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

    /// <param name="listed">
    /// The names of the plate's image objects in its bucket, when they were listed: the sites are those of the local
    /// files and of the listed objects together (an image need not be here to be an input); null to scan the folder alone.
    /// </param>
    // Called once a run with a loop over thousands of entries: compiled optimised at once, since a short build
    // process would run it as unoptimised first-tier code to the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PlateScan Scan(string barcode, string imageDirectory, IReadOnlyCollection<string>? listed = null)
    {
        ArgumentNullException.ThrowIfNull(barcode);
        ArgumentNullException.ThrowIfNull(imageDirectory);
        bool local = Directory.Exists(imageDirectory);
        if (!local && listed is null)
        {
            return new PlateScan(barcode, imageDirectory, [], [], $"image directory not found: {imageDirectory}");
        }

        // A plate has ~28k files: list the names of images only (Index.idx.xml and other export files are matched on the
        // directory entry, without a string), sort them, and make a path only for channels 1-5.
        string[] names = local ? ImageNamesIn(imageDirectory) : [];
        if (listed is { Count: > 0 })
        {
            names = names.Union(listed.Where(name => ImageName().IsMatch(name)), StringComparer.Ordinal).ToArray();
        }

        Array.Sort(names, StringComparer.Ordinal);
        string directory = Path.TrimEndingDirectorySeparator(imageDirectory) + Path.DirectorySeparatorChar;
        var sites = new Dictionary<SiteKey, Dictionary<int, string>>();
        foreach (string name in names)
        {
            (SiteKey key, int channel) = Parse(name);
            if (channel is < 1 or > 5)
            {
                continue; // brightfield planes
            }

            if (!sites.TryGetValue(key, out Dictionary<int, string>? channels))
            {
                channels = [];
                sites[key] = channels;
            }

            channels[channel] = directory + name;
        }

        var complete = new List<DiscoveredSite>();
        var incomplete = new List<IncompleteSite>();
        foreach (SiteKey key in sites.Keys.Order())
        {
            Dictionary<int, string> channels = sites[key];
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

    private static string[] ImageNamesIn(string imageDirectory) =>
        new FileSystemEnumerable<string>(
            imageDirectory,
            (ref FileSystemEntry entry) => entry.FileName.ToString(),
            new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && ImageName().IsMatch(entry.FileName),
        }.ToArray();

    /// <summary>
    /// Reads a name <see cref="ImageName"/> accepted: the pattern fixes where row, column and field stand, and the
    /// channel's digits run from after "-ch" up to "sk1". Matching without captures allocates nothing per file.
    /// </summary>
    private static (SiteKey Key, int Channel) Parse(ReadOnlySpan<char> name)
    {
        ReadOnlySpan<char> channel = name["rRRcCCfFFpPP-ch".Length..];
        channel = channel[..channel.IndexOfAny('s', 'S')];
        var key = new SiteKey(Number(name[1..3]), Number(name[4..6]), Number(name[7..9]));
        return (key, Number(channel));
    }

    private static int Number(ReadOnlySpan<char> digits) => int.Parse(digits, CultureInfo.InvariantCulture);
}
