using System.Globalization;
using System.Text.RegularExpressions;

namespace CellPainting.Stages.Metadata;

/// <summary>Groups a plate's site files (<c>rRRcCCfFF.&lt;ext&gt;</c>, e.g. <c>r01c01f01.pt</c>) by well and joins the metadata cache.</summary>
public static partial class WellIndexBuilder
{
    /// <param name="barcode">The plate.</param>
    /// <param name="siteFiles">File names (no folders) present in the plate's feature or tensor folder.</param>
    /// <param name="metadata">The metadata cache.</param>
    /// <param name="problems">
    /// Receives a warning per name that is not a site file (skipped, as the reference's dataset ignores them), an error
    /// per site outside the 384 wells or listed twice, and a warning per well the metadata does not know.
    /// </param>
    public static WellIndex Build(string barcode, IEnumerable<string> siteFiles, MetadataCache metadata, ICollection<MetadataProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(barcode);
        ArgumentNullException.ThrowIfNull(siteFiles);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(problems);
        var sitesByWell = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var name in siteFiles)
        {
            var match = SiteFileName().Match(name);
            if (!match.Success)
            {
                problems.Add(MetadataProblem.Warning(null, null, $"plate {barcode}: '{name}' is not a site file (rRRcCCfFF.<ext>); ignored"));
                continue;
            }

            var row = int.Parse(match.Groups["row"].ValueSpan, CultureInfo.InvariantCulture);
            var column = int.Parse(match.Groups["column"].ValueSpan, CultureInfo.InvariantCulture);
            if (row is < 1 or > WellPosition.Rows || column is < 1 or > WellPosition.Columns)
            {
                problems.Add(MetadataProblem.Error(null, null, $"plate {barcode}: site file '{name}' is outside wells A01–P24"));
                continue;
            }

            var well = WellPosition.FromRowColumn(row, column);
            if (!sitesByWell.TryGetValue(well, out var sites))
            {
                sites = new SortedSet<string>(StringComparer.Ordinal);
                sitesByWell.Add(well, sites);
            }

            if (!sites.Add(name))
            {
                problems.Add(MetadataProblem.Error(null, null, $"plate {barcode}: site file '{name}' is listed twice"));
            }
        }

        var entries = new List<WellIndexEntry>(sitesByWell.Count);
        foreach (var (well, sites) in sitesByWell)
        {
            var key = new WellKey(barcode, well);
            if (metadata.TryGet(key, out var record))
            {
                entries.Add(new WellIndexEntry(well, key, record.Info.PertType, record.Info.BroadSample, [.. sites]));
                continue;
            }

            problems.Add(MetadataProblem.Warning(null, null, $"plate {barcode}: well {well} has site files but no metadata; indexed as unknown"));
            entries.Add(new WellIndexEntry(well, null, PerturbationType.Unknown, "", [.. sites]));
        }

        return new WellIndex(barcode, entries);
    }

    [GeneratedRegex(@"^r(?<row>\d{2})c(?<column>\d{2})f(?<field>\d{2})\.[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SiteFileName();
}
