using System.Text;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// One group's per-item records, committed next to the lock: a sorted line per item with its fingerprint and
/// output hashes. Reviewers see a one-item change as a one-line diff; the lock holds only its digest.
/// </summary>
public static class ItemManifest
{
    public const string Header = "# item\tfingerprint\toutputs";

    public static byte[] Serialize(IEnumerable<BuildRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder(Header).Append('\n');
        foreach (BuildRecord record in records.OrderBy(record => record.ItemId, StringComparer.Ordinal))
        {
            text.Append(record.ItemId).Append('\t').Append(record.Fingerprint).Append('\t');
            // Appended piece by piece, without a string per output: a full batch has some 180,000 lines per target.
            for (int index = 0; index < record.Outputs.Count; index++)
            {
                if (index > 0)
                {
                    text.Append(',');
                }

                text.Append(record.Outputs[index].Name).Append('=').Append(record.Outputs[index].Hash);
            }

            text.Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string DigestOf(ReadOnlySpan<byte> manifest) => "sha256:" + ContentHash.Of(manifest);

    /// <summary>Parses a manifest back into (item, fingerprint, outputs) lines; errors name the file and line.</summary>
    public static IReadOnlyList<ManifestLine> Parse(string content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lines = new List<ManifestLine>();
        string[] rows = content.Split('\n');
        for (int index = 0; index < rows.Length; index++)
        {
            string row = rows[index];
            if (row.Length == 0 || row.StartsWith('#'))
            {
                continue;
            }

            string[] fields = row.Split('\t');
            if (fields.Length != 3)
            {
                throw new LockFileException($"{fileName}:{index + 1}: expected 3 tab-separated fields, found {fields.Length}.");
            }

            HashedName[] outputs = fields[2].Length == 0
                ? []
                : fields[2].Split(',').Select(pair => pair.Split('=', 2)).Select(parts => new HashedName(parts[0], parts.ElementAtOrDefault(1) ?? string.Empty)).ToArray();
            lines.Add(new ManifestLine(fields[0], fields[1], outputs));
        }

        return lines;
    }
}
