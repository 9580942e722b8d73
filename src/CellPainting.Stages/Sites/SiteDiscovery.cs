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

        // A plate has ~28k files: make a path only for the images of channels 1-5 (Index.idx.xml, other export files and
        // brightfield planes are matched on the directory entry, without a string), then sort them: one string an image,
        // and the dictionaries sized up front, since in a no-op every allocation adds to collections of a large heap.
        string directory = Path.TrimEndingDirectorySeparator(imageDirectory) + Path.DirectorySeparatorChar;
        string[] paths = local ? FluorescencePathsIn(imageDirectory, directory) : [];
        if (listed is { Count: > 0 })
        {
            paths = paths.Union(listed.Where(name => IsFluorescenceImage(name)).Select(name => directory + name), StringComparer.Ordinal).ToArray();
        }

        // Each site's paths by channel 1-5 at [channel - 1]: an array a site, not a dictionary.
        var sites = new Dictionary<SiteKey, string?[]>(paths.Length / FluorescenceChannels.Count);
        foreach (string path in paths)
        {
            (SiteKey key, int channel) = Parse(path.AsSpan(directory.Length));
            if (!sites.TryGetValue(key, out string?[]? channels))
            {
                channels = new string?[FluorescenceChannels.Count];
                sites[key] = channels;
            }

            // The last plane in name order wins, kept as the paths come rather than by sorting them (paths of one
            // folder compare as their names): sorting a plate's 17k paths cost more than listing them.
            if (channels[channel - 1] is not { } kept || string.CompareOrdinal(path, kept) > 0)
            {
                channels[channel - 1] = path;
            }
        }

        var complete = new List<DiscoveredSite>();
        var incomplete = new List<IncompleteSite>();
        foreach (SiteKey key in sites.Keys.Order())
        {
            string?[] channels = sites[key];
            if (Array.IndexOf(channels, null) < 0)
            {
                complete.Add(new DiscoveredSite(barcode, key, channels!));
            }
            else
            {
                incomplete.Add(new IncompleteSite(barcode, key, FluorescenceChannels.Where(channel => channels[channel - 1] is null).ToArray()));
            }
        }

        return new PlateScan(barcode, imageDirectory, complete, incomplete, null);
    }

    private static string[] FluorescencePathsIn(string imageDirectory, string directory) =>
        new FileSystemEnumerable<string>(
            imageDirectory,
            (ref FileSystemEntry entry) => string.Concat(directory, entry.FileName),
            new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && IsFluorescenceImage(entry.FileName),
        }.ToArray();

    /// <summary>An image of channels 1-5 by its name: brightfield planes are no site's input.</summary>
    private static bool IsFluorescenceImage(ReadOnlySpan<char> name) => ImageName().IsMatch(name) && Parse(name).Channel is >= 1 and <= 5;

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
