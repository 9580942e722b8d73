using System.Text;
using CellPainting.Engine.LockFiles;

namespace CellPainting.Engine.Verification;

/// <summary>
/// A target's items as the lock records them: every group's manifest, checked against the digest and item count
/// that data.lock.json holds for it. A manifest out of step with the lock is a finding, and its lines are still
/// used when they parse, so one stray edit does not hide every other check.
/// </summary>
public sealed class LockedTarget
{
    private LockedTarget(string target, IReadOnlyDictionary<string, ManifestLine> items, IReadOnlyList<VerificationFinding> findings)
    {
        Target = target;
        Items = items;
        Findings = findings;
    }

    public string Target { get; }

    /// <summary>The recorded items by id.</summary>
    public IReadOnlyDictionary<string, ManifestLine> Items { get; }

    /// <summary>Problems with the manifests themselves.</summary>
    public IReadOnlyList<VerificationFinding> Findings { get; }

    public static LockedTarget Read(LockStore store, string target, TargetLock section)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(section);
        var items = new Dictionary<string, ManifestLine>(StringComparer.Ordinal);
        var findings = new List<VerificationFinding>();
        string lockName = Path.GetFileName(store.LockPath);
        KeyValuePair<string, GroupLock>[] groups = section.Groups.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToArray();
        IReadOnlyList<ManifestLookup> lookups = store.Find(groups.Select(pair => new ManifestRequest(new GroupKey(target, pair.Key), pair.Value.Digest)).ToArray());
        foreach (((string group, GroupLock locked), ManifestLookup lookup) in groups.Zip(lookups))
        {
            // Found or not, the manifest is named where the lock's own folder would hold it.
            ManifestAnswer committed = lookup.Answers[0];
            string shown = committed.Place;
            foreach (ManifestAnswer wrong in lookup.Mismatched)
            {
                findings.Add(new VerificationFinding(wrong.Place, FindingKind.LockInconsistent, $"does not match its digest in {lockName} (edited by hand, or a merge left them out of step)"));
            }

            // Without the recorded bytes, wrong ones that parse still let every other check run.
            byte[]? bytes = lookup.Content ?? lookup.Mismatched.FirstOrDefault()?.Content;
            if (bytes is null)
            {
                findings.Add(new VerificationFinding(shown, FindingKind.LockInconsistent, $"manifest missing; {lockName} records {locked.Items} item(s) for group {group} (manifest {locked.Digest}){lookup.ElsewhereThan(committed)}"));
                continue;
            }

            IReadOnlyList<ManifestLine> lines;
            try
            {
                lines = ItemManifest.Parse(Encoding.UTF8.GetString(bytes), shown);
            }
            catch (LockFileException exception)
            {
                findings.Add(new VerificationFinding(shown, FindingKind.LockInconsistent, exception.Message));
                continue;
            }

            if (lines.Count != locked.Items)
            {
                findings.Add(new VerificationFinding(shown, FindingKind.LockInconsistent, $"holds {lines.Count} item(s); {lockName} records {locked.Items}"));
            }

            foreach (ManifestLine line in lines)
            {
                if (!items.TryAdd(line.ItemId, line))
                {
                    findings.Add(new VerificationFinding(line.ItemId, FindingKind.LockInconsistent, $"recorded more than once (again in {shown})"));
                }
            }
        }

        return new LockedTarget(target, items, findings);
    }
}
