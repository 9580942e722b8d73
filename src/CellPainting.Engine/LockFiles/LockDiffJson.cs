using System.Text.Json;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// The machine-readable form of a <see cref="LockDiff"/>: keys sorted, two-space indent, LF, trailing newline; every
/// target has the same keys (empty when nothing changed), sizes are exact byte counts or null where unknown.
/// </summary>
public static class LockDiffJson
{
    public static byte[] Render(LockDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, LockFileSerializer.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("base", diff.Base);
            writer.WriteBoolean("changed", diff.HasChanges);
            writer.WriteString("head", diff.Head);
            writer.WriteStartObject("targets");
            foreach (TargetDiff target in diff.Targets)
            {
                writer.WriteStartObject(target.Name);
                WriteTarget(writer, target);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteTarget(Utf8JsonWriter writer, TargetDiff target)
    {
        writer.WriteStartArray("attributes");
        foreach (AttributeChange change in target.Attributes)
        {
            writer.WriteStartObject();
            writer.WriteString("group", change.Group);
            writer.WriteString("key", change.Key);
            writer.WriteString("new", change.New);
            writer.WriteString("old", change.Old);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("groups");
        WriteStrings(writer, "added", target.GroupsAdded);
        WriteStrings(writer, "removed", target.GroupsRemoved);
        writer.WriteEndObject();
        writer.WriteStartObject("items");
        WriteItems(writer, "added", target.Added, withColumns: false);
        WriteItems(writer, "changed", target.Changed, withColumns: true);
        WriteItems(writer, "removed", target.Removed, withColumns: false);
        writer.WriteEndObject();
        writer.WriteStartObject("params");
        foreach (ValueChange change in target.Parameters)
        {
            writer.WriteStartObject(change.Key);
            writer.WriteString("new", change.New);
            writer.WriteString("old", change.Old);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (target.Recipe is null)
        {
            writer.WriteNull("recipe");
        }
        else
        {
            writer.WriteStartObject("recipe");
            WriteNumber(writer, "new", target.Recipe.New);
            WriteNumber(writer, "old", target.Recipe.Old);
            writer.WriteEndObject();
        }

        writer.WriteString("status", target.Status.ToString().ToLowerInvariant());
    }

    private static void WriteItems(Utf8JsonWriter writer, string name, ItemChanges items, bool withColumns)
    {
        writer.WriteStartObject(name);
        WriteNumber(writer, "bytes", items.Bytes);
        if (withColumns)
        {
            writer.WriteStartObject("columns");
            foreach ((string column, int count) in items.Columns)
            {
                writer.WriteNumber(column, count);
            }

            writer.WriteEndObject();
        }

        writer.WriteNumber("count", items.Count);
        WriteStrings(writer, "first", items.First);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is long number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
