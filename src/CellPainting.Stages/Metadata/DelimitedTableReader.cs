using System.Text;

namespace CellPainting.Stages.Metadata;

/// <summary>
/// Reads CSV/TSV the way Python's <c>csv.DictReader</c> does with its default dialect, which is how the
/// reference reads every metadata file: <c>"</c> quotes a field that starts with it, <c>""</c> inside
/// quotes is one quote, quoted fields may hold delimiters and newlines, blank lines are skipped, and
/// LF, CRLF or CR end a record.
/// </summary>
/// <remarks>
/// Missing values: the S3 copies leave missing cells empty, but the current JUMP-Target files and the R
/// outputs of the NatureMethods repository write an unquoted <c>NA</c>. An unquoted cell that is exactly
/// <c>NA</c> therefore reads as empty, so both dialects give the same keys and values (the DMSO row's
/// <c>NA</c> broad_sample becomes the empty key). A quoted <c>"NA"</c> stays the literal text, which is how
/// R's writers protect real values (they quote strings that start with NA, such as <c>"NAMPT"</c>).
/// </remarks>
internal static class DelimitedTableReader
{
    private const string MissingValue = "NA";

    public static DelimitedTable ReadFile(string path, char delimiter, ICollection<MetadataProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path, Encoding.UTF8), delimiter, path, problems);
    }

    /// <summary>Parses <paramref name="text"/>; format problems are added to <paramref name="problems"/> naming <paramref name="source"/>.</summary>
    public static DelimitedTable Parse(string text, char delimiter, string source, ICollection<MetadataProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(problems);

        var rows = ReadRecords(text, delimiter, source, problems);
        if (rows.Count == 0)
        {
            return new DelimitedTable(source, 1, [], []);
        }

        var header = rows[0];
        var records = rows.Skip(1).ToList();
        // A short last record with no line break after it is a file cut off mid-write or mid-download, not a
        // table with missing cells: its empty values would pass silently into the annotations.
        var truncated = records.Count > 0 && text[^1] is not ('\n' or '\r') && records[^1].Fields.Count < header.Fields.Count ? records[^1] : null;
        if (truncated is not null)
        {
            problems.Add(MetadataProblem.Error(
                source,
                truncated.Line,
                $"the file ends inside this record ({truncated.Fields.Count} of {header.Fields.Count} fields, no line break after it): it looks truncated"));
        }

        foreach (var record in records.Where(r => r.Fields.Count != header.Fields.Count && r != truncated))
        {
            var effect = record.Fields.Count < header.Fields.Count ? "the missing ones read as empty" : "the extra ones are ignored";
            problems.Add(MetadataProblem.Warning(
                source,
                record.Line,
                $"record has {record.Fields.Count} fields but the header has {header.Fields.Count}; {effect}"));
        }

        return new DelimitedTable(source, header.Line, header.Fields, records);
    }

    private static List<DelimitedRecord> ReadRecords(string text, char delimiter, string source, ICollection<MetadataProblem> problems)
    {
        var records = new List<DelimitedRecord>();
        var position = 0;
        var line = 1;
        while (position < text.Length)
        {
            var recordLine = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var fieldQuoted = false;
            var inQuotes = false;
            var endOfRecord = false;
            while (position < text.Length && !endOfRecord)
            {
                var c = text[position];
                if (inQuotes)
                {
                    if (c == '"' && position + 1 < text.Length && text[position + 1] == '"')
                    {
                        field.Append('"');
                        position += 2;
                        continue;
                    }

                    if (c == '"')
                    {
                        inQuotes = false;
                    }
                    else
                    {
                        line += IsLineBreak(text, position) ? 1 : 0;
                        field.Append(c);
                    }

                    position++;
                }
                else if (c == '"' && field.Length == 0 && !fieldQuoted)
                {
                    inQuotes = true;
                    fieldQuoted = true;
                    position++;
                }
                else if (c == delimiter)
                {
                    fields.Add(Finish(field, fieldQuoted));
                    field.Clear();
                    fieldQuoted = false;
                    position++;
                }
                else if (c is '\n' or '\r')
                {
                    position += c == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
                    line++;
                    endOfRecord = true;
                }
                else
                {
                    field.Append(c);
                    position++;
                }
            }

            if (inQuotes)
            {
                problems.Add(MetadataProblem.Error(source, recordLine, "a quoted field is not closed before the end of the file"));
            }

            var blank = fields.Count == 0 && field.Length == 0 && !fieldQuoted;
            if (!blank)
            {
                fields.Add(Finish(field, fieldQuoted));
                records.Add(new DelimitedRecord(recordLine, fields));
            }
        }

        return records;
    }

    // A CR counts as a line break unless it is the first half of a CRLF, so line numbers match editors.
    private static bool IsLineBreak(string text, int position) =>
        text[position] == '\n' || (text[position] == '\r' && (position + 1 >= text.Length || text[position + 1] != '\n'));

    private static string Finish(StringBuilder field, bool quoted)
    {
        var value = field.ToString();
        return !quoted && value == MissingValue ? "" : value;
    }
}
