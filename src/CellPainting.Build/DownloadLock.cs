using System.Globalization;
using System.Text;
using CellPainting.Engine.LockFiles;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>
/// The Download target's part of the lock: per unit (plates by barcode, the metadata prefixes by a path-free name) the
/// source URL, object count, bytes and a digest over (key, ETag, size), with one manifest line per object. Read back,
/// the manifests are the previous sync's records the next sync compares its listing with. An object listed but never
/// fetched (images not kept locally) has <c>-</c> for its SHA-256 until a build fetches it and learns it.
/// </summary>
internal sealed class DownloadLock
{
    public const string Target = "download";
    private const int RecipeVersion = 1;
    private const string Header = "# key\tetag\tsize\tsha256";
    private const string UnknownDigest = "-";

    private readonly BuildConfig config;
    private readonly LockStore lockStore;

    public DownloadLock(BuildConfig config, LockStore lockStore)
    {
        this.config = config;
        this.lockStore = lockStore;
    }

    /// <summary>The previous sync's records of these units, keyed by full S3 key.</summary>
    public Dictionary<string, RemoteObjectRecord> PreviousRecords(IReadOnlyList<SyncUnit> units)
    {
        var records = new Dictionary<string, RemoteObjectRecord>(StringComparer.Ordinal);
        foreach (SyncUnit unit in units)
        {
            string? manifest = lockStore.ReadManifest(Target, GroupName(unit.Name));
            foreach (string line in (manifest ?? string.Empty).Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')))
            {
                string[] fields = line.Split('\t');
                if (fields.Length == 4 && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                {
                    records[unit.RemotePrefix + fields[0]] = new RemoteObjectRecord(fields[1], size, fields[3] == UnknownDigest ? null : fields[3]);
                }
            }
        }

        return records;
    }

    /// <summary>The section's parameters: where the objects come from and which of them are synced.</summary>
    public IReadOnlyDictionary<string, string> Parameters => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["bucket"] = config.EndpointUrl.Bucket,
        ["prefix"] = config.EndpointUrl.Prefix,
        ["objects"] = config.Fetch.AllChannels ? "all" : "fluorescence channels 1-5 + metadata",
    };

    /// <summary>Replaces the download section with what the sync left in place; units whose listing failed get no record.</summary>
    public void Record(SyncReport report) => lockStore.Record(Target, RecipeVersion, Parameters, Groups(report.Units));

    /// <summary>
    /// Rewrites the groups of <paramref name="units"/> (digests a build learnt by fetching their images), keeping every
    /// other group of the section as it is.
    /// </summary>
    public void Update(IReadOnlyList<SyncUnitReport> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        Dictionary<string, GroupContent> groups = Groups(units);
        IEnumerable<string> others = lockStore.Load().Targets.TryGetValue(Target, out TargetLock? section) ? section.Groups.Keys : [];
        lockStore.Record(Target, RecipeVersion, Parameters, groups, others.Where(group => !groups.ContainsKey(group)).ToArray());
    }

    private Dictionary<string, GroupContent> Groups(IEnumerable<SyncUnitReport> units)
    {
        var groups = new Dictionary<string, GroupContent>(StringComparer.Ordinal);
        foreach (SyncUnitReport unit in units.Where(unit => unit.ListingComplete))
        {
            var manifest = new StringBuilder(Header).Append('\n');
            foreach (SyncedObject synced in unit.Objects.OrderBy(synced => synced.RelativeKey, StringComparer.Ordinal))
            {
                manifest.Append(CultureInfo.InvariantCulture, $"{synced.RelativeKey}\t{synced.Record.ETag}\t{synced.Record.Size}\t{synced.Record.Sha256 ?? UnknownDigest}\n");
            }

            groups[GroupName(unit.Name)] = new GroupContent(
                Encoding.UTF8.GetBytes(manifest.ToString()),
                unit.ObjectCount,
                new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["url"] = unit.SourceUrl,
                    ["bytes"] = unit.TotalBytes.ToString(CultureInfo.InvariantCulture),
                    ["listing_digest"] = "sha256:" + unit.Digest,
                });
        }

        return groups;
    }

    /// <summary>Lock group of a unit: a plate's barcode, or <c>metadata-&lt;first segment&gt;</c> for the metadata prefixes.</summary>
    public string GroupName(string unitName)
    {
        PlateDirectory? plate = config.Plates.FirstOrDefault(candidate => candidate.Name == unitName);
        return plate?.Barcode ?? "metadata-" + unitName.Split('/')[0].Replace('_', '-');
    }
}
