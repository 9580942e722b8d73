using System.Globalization;
using System.Text;
using System.Text.Json;
using CellPainting.Engine.Sharding;

namespace CellPainting.Build;

/// <summary>
/// A shard plan as one line of JSON that is also a GitHub Actions <c>strategy.matrix</c>: <c>{"include": [...]}</c>,
/// one entry per shard with <c>shard</c> ("K/N", what <c>--shard</c> takes), its plates, sites, estimated cost (its
/// sites over the mean shard's) and slices. A shard given the file (<c>--shard-plan</c>) builds its slices, so
/// shards agree even when each sees only its own plates' images (runners without shared storage).
/// </summary>
internal static class ShardPlanFile
{
    public static byte[] Serialize(ShardPartition partition)
    {
        double mean = Enumerable.Range(1, partition.Count).Average(index => (double)partition.ItemsOf(index));
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("include");
            for (int index = 1; index <= partition.Count; index++)
            {
                var shard = new Shard(index, partition.Count);
                IReadOnlyList<ShardSlice> slices = partition.SlicesOf(index);
                writer.WriteStartObject();
                writer.WriteString("shard", shard.ToString());
                writer.WriteString("name", shard.Name);
                writer.WriteString("plates", string.Join(' ', slices.Select(slice => slice.Group).Distinct(StringComparer.Ordinal)));
                writer.WriteNumber("sites", partition.ItemsOf(index));
                writer.WriteString("cost", CostOf(partition.ItemsOf(index), mean));
                writer.WriteStartArray("slices");
                foreach (ShardSlice slice in slices)
                {
                    writer.WriteStartObject();
                    writer.WriteString("group", slice.Group);
                    writer.WriteNumber("start", slice.Start);
                    writer.WriteNumber("end", slice.End);
                    writer.WriteNumber("of", slice.Of);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>A shard's estimated cost relative to the mean shard (1.00), as the table and the matrix show it.</summary>
    public static string CostOf(int sites, double mean) => (mean == 0 ? 0 : sites / mean).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Reads a plan for <paramref name="shards"/> shards; a malformed plan is an error naming the file.</summary>
    public static ShardPartition Read(string path, int shards)
    {
        if (!File.Exists(path))
        {
            throw new ShardSpecException($"--shard-plan: {path}: no such file.");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement[] entries = document.RootElement.GetProperty("include").EnumerateArray().ToArray();
            if (entries.Length != shards)
            {
                throw new ShardSpecException($"--shard-plan: {path} plans {entries.Length} shards, but --shard says {shards}.");
            }

            var byShard = new IReadOnlyList<ShardSlice>[shards];
            foreach (JsonElement entry in entries)
            {
                Shard shard = Shard.Parse(entry.GetProperty("shard").GetString() ?? string.Empty);
                if (shard.Count != shards || byShard[shard.Index - 1] is not null)
                {
                    throw new ShardSpecException($"--shard-plan: {path}: shard {shard} is not one of {shards} distinct shards.");
                }

                byShard[shard.Index - 1] = entry.GetProperty("slices").EnumerateArray()
                    .Select(slice => new ShardSlice(slice.GetProperty("group").GetString()!, slice.GetProperty("start").GetInt32(), slice.GetProperty("end").GetInt32(), slice.GetProperty("of").GetInt32()))
                    .ToArray();
            }

            return new ShardPartition(byShard);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ShardSpecException($"--shard-plan: {path}: not a shard plan ({exception.Message}).", exception);
        }
    }

    /// <summary>The plan as a table: a line per shard with its plates, sites and cost, then the balance.</summary>
    public static string Table(ShardPartition partition, IReadOnlyList<PlateSize> sizes)
    {
        int[] sites = Enumerable.Range(1, partition.Count).Select(partition.ItemsOf).ToArray();
        double mean = sites.Average();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"shard plan: {sizes.Count} plates, {sizes.Sum(size => (long)size.Sites)} sites, {partition.Count} shards\n");
        foreach (IGrouping<string, PlateSize> source in sizes.GroupBy(size => size.Source.Split(':')[0]).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  sites of {source.Count()} plate(s) from {string.Join("; ", source.Select(size => size.Source).Distinct())}\n");
        }

        text.Append("shard  plates  sites  cost  plate list\n");
        for (int index = 1; index <= partition.Count; index++)
        {
            string[] plates = partition.SlicesOf(index).Select(slice => slice.Whole ? slice.Group : $"{slice.Group}[{slice.Start}..{slice.End})").ToArray();
            text.Append(CultureInfo.InvariantCulture, $"{new Shard(index, partition.Count),-6} {plates.Length,6}  {sites[index - 1],5}  {CostOf(sites[index - 1], mean),4}  {string.Join(' ', plates)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"balance: max {sites.Max()} / mean {mean:0.##} sites per shard = {(mean == 0 ? 0 : sites.Max() / mean):0.000}; min {sites.Min()}\n");
        return text.ToString();
    }
}
