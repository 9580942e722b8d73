using System.Globalization;

namespace CellPainting.Engine.Sharding;

/// <summary>
/// One of N copies of a build started by an engine that runs copies with an index (a Slurm job array, a GitHub
/// Actions matrix, AWS Batch, a Kubernetes Indexed Job): shard <see cref="Index"/> (1-based) of <see cref="Count"/>.
/// </summary>
public sealed record Shard
{
    public Shard(int index, int count)
    {
        if (count < 1 || index < 1 || index > count)
        {
            throw new ShardSpecException($"shard {index}/{count}: expected 1 <= K <= N.");
        }

        Index = index;
        Count = count;
    }

    public int Index { get; }

    public int Count { get; }

    /// <summary>How files and folders name the shard: <c>shard-2-of-4</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"shard-{Index}-of-{Count}");

    /// <summary>Parses <c>K/N</c> (e.g. <c>2/4</c>); anything else is an error quoting the value.</summary>
    public static Shard Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string[] parts = value.Split('/');
        if (parts.Length != 2 || !TryParseCount(parts[0], out int index) || !TryParseCount(parts[1], out int count))
        {
            throw new ShardSpecException($"--shard: expected K/N with whole numbers 1 <= K <= N (e.g. 2/4) or auto, found '{value}'.");
        }

        return index > count
            ? throw new ShardSpecException($"--shard: shard {index} of {count} does not exist (K must be at most N), found '{value}'.")
            : new Shard(index, count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    internal static bool TryParseCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1;
}
