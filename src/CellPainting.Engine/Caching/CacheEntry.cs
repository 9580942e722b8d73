using System.Globalization;
using System.Text;

namespace CellPainting.Engine.Caching;

/// <summary>
/// The action-cache record of one built item, keyed by its id and fingerprint: where it came from (stage, recipe,
/// parameters) and each output's blob. Text, one field a line, in a fixed order, so equal builds give equal bytes.
/// </summary>
public sealed record CacheEntry(
    string ItemId,
    string Fingerprint,
    string Stage,
    int RecipeVersion,
    string ParametersDigest,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<CachedOutput> Outputs)
{
    private const string Header = "cpbuild-cache-entry 1";

    public byte[] ToBytes()
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("item\t").Append(ItemId).Append('\n');
        text.Append("fingerprint\t").Append(Fingerprint).Append('\n');
        text.Append("stage\t").Append(Stage).Append('\n');
        text.Append("recipe\t").Append(RecipeVersion.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("params\t").Append(ParametersDigest).Append('\n');
        foreach ((string key, string value) in Parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append("param\t").Append(key).Append('\t').Append(value).Append('\n');
        }

        foreach (CachedOutput output in Outputs)
        {
            text.Append("output\t").Append(output.Name).Append('\t').Append(output.Sha256).Append('\t')
                .Append(output.Size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads an entry; anything but exactly what <see cref="ToBytes"/> writes is a <see cref="FormatException"/>.</summary>
    public static CacheEntry Parse(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException exception)
        {
            throw new FormatException("the entry is not UTF-8 text", exception);
        }

        if (!text.EndsWith('\n'))
        {
            throw new FormatException("the entry does not end with a line break (truncated?)");
        }

        string[] lines = text[..^1].Split('\n');
        if (lines.Length < 6 || lines[0] != Header)
        {
            throw new FormatException($"the entry does not start with '{Header}' and its five header fields");
        }

        string itemId = Field(lines[1], "item");
        string fingerprint = Field(lines[2], "fingerprint");
        string stage = Field(lines[3], "stage");
        int recipe = int.TryParse(Field(lines[4], "recipe"), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)
            ? parsed
            : throw new FormatException($"bad recipe line '{lines[4]}'");
        string digest = Field(lines[5], "params");
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var outputs = new List<CachedOutput>();
        foreach (string line in lines.Skip(6))
        {
            string[] fields = line.Split('\t');
            if (fields is ["param", string key, string value] && outputs.Count == 0 && parameters.TryAdd(key, value))
            {
                continue;
            }

            if (fields is ["output", string name, string sha256, string size]
                && IsSha256(sha256)
                && long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)
                && outputs.TrueForAll(output => output.Name != name))
            {
                outputs.Add(new CachedOutput(name, sha256, bytes));
                continue;
            }

            throw new FormatException($"bad line '{line}'");
        }

        if (!IsSha256(fingerprint) || !IsSha256(digest) || outputs.Count == 0)
        {
            throw new FormatException("the entry lacks a well-formed fingerprint, parameters digest or output");
        }

        return new CacheEntry(itemId, fingerprint, stage, recipe, digest, parameters, outputs);
    }

    private static string Field(string line, string name) =>
        line.StartsWith(name + "\t", StringComparison.Ordinal) && line.Length > name.Length + 1 && !line.AsSpan(name.Length + 1).Contains('\t')
            ? line[(name.Length + 1)..]
            : throw new FormatException($"expected a '{name}' line, found '{line}'");

    private static bool IsSha256(string text) => text.Length == 64 && text.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
