using System.Globalization;
using System.Text;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// A <see cref="LockDiff"/> as a pull-request comment: one table row per changed target, then per target the
/// recipe and parameter changes, groups, group attributes and the first few item ids of each kind of change.
/// Same diff, same text: no timestamps, no machine paths.
/// </summary>
public static class LockDiffMarkdown
{
    public static string Render(LockDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Lock changes: {Code(diff.Base)} → {Code(diff.Head)}\n\n");
        TargetDiff[] changed = diff.Targets.Where(target => target.Status != TargetStatus.Unchanged).ToArray();
        string[] unchanged = diff.Targets.Where(target => target.Status == TargetStatus.Unchanged).Select(target => Code(target.Name)).ToArray();
        if (changed.Length == 0)
        {
            text.Append("No changes.\n");
        }
        else
        {
            text.Append("| target | status | recipe | params | groups | items added | items removed | items changed |\n");
            text.Append("|---|---|---|---:|---|---:|---:|---:|\n");
            foreach (TargetDiff target in changed)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {Code(target.Name).Replace("|", "\\|", StringComparison.Ordinal)} | {Status(target.Status)} | {Recipe(target.Recipe)} | {Cell(target.Parameters.Count)} | {Groups(target)} | {Items(target.Added)} | {Items(target.Removed)} | {Items(target.Changed)} |\n");
            }
        }

        if (unchanged.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nUnchanged: {string.Join(", ", unchanged)}.\n");
        }

        foreach (TargetDiff target in changed)
        {
            AppendDetails(text, target);
        }

        return text.ToString();
    }

    private static void AppendDetails(StringBuilder text, TargetDiff target)
    {
        text.Append(CultureInfo.InvariantCulture, $"\n#### {Code(target.Name)}\n\n");
        if (target.Recipe is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"- recipe: {Recipe(target.Recipe)}\n");
        }

        foreach (ValueChange parameter in target.Parameters)
        {
            text.Append(CultureInfo.InvariantCulture, $"- param {Code(parameter.Key)}: {Value(parameter.Old)} → {Value(parameter.New)}\n");
        }

        AppendList(text, "groups added", target.GroupsAdded.Count, null, target.GroupsAdded.Select(Code));
        AppendList(text, "groups removed", target.GroupsRemoved.Count, null, target.GroupsRemoved.Select(Code));
        foreach (AttributeChange change in target.Attributes.Take(LockDiff.SampleSize))
        {
            text.Append(CultureInfo.InvariantCulture, $"- group {Code(change.Group)} {Code(change.Key)}: {Value(change.Old)} → {Value(change.New)}\n");
        }

        if (target.Attributes.Count > LockDiff.SampleSize)
        {
            text.Append(CultureInfo.InvariantCulture, $"- … and {Number(target.Attributes.Count - LockDiff.SampleSize)} more group attribute changes\n");
        }

        AppendItems(text, "items added", target.Added);
        AppendItems(text, "items removed", target.Removed);
        AppendItems(text, "items changed", target.Changed);
    }

    private static void AppendItems(StringBuilder text, string label, ItemChanges items)
    {
        if (items.Count == 0)
        {
            return;
        }

        var about = new List<string>();
        if (items.Bytes is long bytes)
        {
            about.Add(Bytes(bytes));
        }

        if (items.Columns.Count > 0)
        {
            about.Add(string.Join(", ", items.Columns.Select(pair => $"{pair.Key} {Number(pair.Value)}")));
        }

        AppendList(text, label, items.Count, about.Count == 0 ? null : string.Join("; ", about), items.First.Select(Code));
    }

    /// <summary>A bullet <c>- label (count; detail): first, … and N more</c>; nothing when the count is zero.</summary>
    private static void AppendList(StringBuilder text, string label, int count, string? detail, IEnumerable<string> first)
    {
        if (count == 0)
        {
            return;
        }

        string[] shown = first.Take(LockDiff.SampleSize).ToArray();
        string about = detail is null ? string.Empty : "; " + detail;
        string more = count > shown.Length ? $" … and {Number(count - shown.Length)} more" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"- {label} ({Number(count)}{about}): {string.Join(", ", shown)}{more}\n");
    }

    private static string Status(TargetStatus status) => status.ToString().ToLowerInvariant();

    private static string Recipe(RecipeChange? recipe) =>
        recipe is null ? string.Empty : $"{Value(recipe.Old?.ToString(CultureInfo.InvariantCulture))} → {Value(recipe.New?.ToString(CultureInfo.InvariantCulture))}";

    private static string Groups(TargetDiff target) =>
        string.Join(" ", new[] { (target.GroupsAdded.Count, "+"), (target.GroupsRemoved.Count, "−") }.Where(pair => pair.Item1 > 0).Select(pair => pair.Item2 + Number(pair.Item1)));

    private static string Items(ItemChanges items) =>
        items.Count == 0 ? string.Empty : items.Bytes is long bytes ? $"{Number(items.Count)} ({Bytes(bytes)})" : Number(items.Count);

    /// <summary>A table cell: empty for zero, so the changes stand out.</summary>
    private static string Cell(int count) => count == 0 ? string.Empty : Number(count);

    private static string Number(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Value(string? value) => value is null ? "(none)" : Code(value);

    /// <summary>Decimal units, as storage and S3 listings count them.</summary>
    private static string Bytes(long bytes)
    {
        string[] units = ["kB", "MB", "GB", "TB"];
        if (bytes < 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:F1} {units[unit]}");
    }

    /// <summary>An inline code span that survives any backticks in the value; line breaks show as \n.</summary>
    private static string Code(string value)
    {
        string text = value.ReplaceLineEndings("\\n");
        int longest = 0;
        for (int index = 0, run = 0; index < text.Length; index++)
        {
            run = text[index] == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        string fence = new('`', longest + 1);
        string pad = longest > 0 ? " " : string.Empty;
        return fence + pad + text + pad + fence;
    }
}
