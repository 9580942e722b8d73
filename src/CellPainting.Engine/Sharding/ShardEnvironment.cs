using System.Globalization;

namespace CellPainting.Engine.Sharding;

/// <summary>
/// <c>--shard=auto</c>: the shard from the variables the engines that start N indexed copies set. Slurm job arrays
/// set the task id and the array's bounds; AWS Batch and Kubernetes Indexed Jobs set only a 0-based index, so their
/// count comes from a variable the job definition sets (<c>AWS_BATCH_JOB_ARRAY_SIZE</c>, <c>JOB_COMPLETIONS</c>).
/// </summary>
public static class ShardEnvironment
{
    public const string Auto = "auto";

    /// <summary>Parses <c>K/N</c>, or <c>auto</c> from <paramref name="variables"/> (the process environment when null).</summary>
    public static Shard Resolve(string value, Func<string, string?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value == Auto ? Detect(variables ?? Environment.GetEnvironmentVariable) : Shard.Parse(value);
    }

    public static Shard Detect(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (variables("SLURM_ARRAY_TASK_ID") is { } slurmId)
        {
            return FromSlurm(slurmId, variables);
        }

        if (variables("AWS_BATCH_JOB_ARRAY_INDEX") is { } batchIndex)
        {
            return FromZeroBased("AWS_BATCH_JOB_ARRAY_INDEX", batchIndex, "AWS_BATCH_JOB_ARRAY_SIZE", variables);
        }

        if (variables("JOB_COMPLETION_INDEX") is { } completionIndex)
        {
            return FromZeroBased("JOB_COMPLETION_INDEX", completionIndex, "JOB_COMPLETIONS", variables);
        }

        throw new ShardSpecException(
            "--shard=auto: none of SLURM_ARRAY_TASK_ID (Slurm job array), AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) or "
            + "JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set; pass --shard=K/N.");
    }

    /// <summary>Task ids run from MIN to MAX in steps of STEP (<c>--array=0-3</c>, <c>1-7:2</c>); the shard is the id's place in that range.</summary>
    private static Shard FromSlurm(string idText, Func<string, string?> variables)
    {
        int id = Whole("SLURM_ARRAY_TASK_ID", idText, allowZero: true);
        string? minText = variables("SLURM_ARRAY_TASK_MIN");
        string? maxText = variables("SLURM_ARRAY_TASK_MAX");
        string? countText = variables("SLURM_ARRAY_TASK_COUNT");
        int min = minText is null ? 0 : Whole("SLURM_ARRAY_TASK_MIN", minText, allowZero: true);
        int step = variables("SLURM_ARRAY_TASK_STEP") is { } stepText ? Whole("SLURM_ARRAY_TASK_STEP", stepText, allowZero: false) : 1;
        int count = countText is not null
            ? Whole("SLURM_ARRAY_TASK_COUNT", countText, allowZero: false)
            : minText is not null && maxText is not null
                ? ((Whole("SLURM_ARRAY_TASK_MAX", maxText, allowZero: true) - min) / step) + 1
                : throw new ShardSpecException(
                    $"--shard=auto: SLURM_ARRAY_TASK_ID is {id} but the array's size is unknown: neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_MAX is set.");
        if ((id - min) % step != 0 || id < min)
        {
            throw new ShardSpecException($"--shard=auto: SLURM_ARRAY_TASK_ID {id} is not in the array {min}..:{step}.");
        }

        return Checked("SLURM_ARRAY_TASK_ID", id, ((id - min) / step) + 1, count);
    }

    private static Shard FromZeroBased(string indexName, string indexText, string countName, Func<string, string?> variables)
    {
        int index = Whole(indexName, indexText, allowZero: true);
        string countText = variables(countName)
            ?? throw new ShardSpecException($"--shard=auto: {indexName} is {index} but {countName} (the number of copies) is not set; set it in the job definition.");
        return Checked(indexName, index, index + 1, Whole(countName, countText, allowZero: false));
    }

    private static Shard Checked(string name, int raw, int index, int count) =>
        index > count
            ? throw new ShardSpecException($"--shard=auto: {name} {raw} makes shard {index}, but there are only {count}.")
            : new Shard(index, count);

    private static int Whole(string name, string text, bool allowZero) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && (allowZero || value > 0)
            ? value
            : throw new ShardSpecException($"--shard=auto: {name} is '{text}', not a {(allowZero ? "non-negative" : "positive")} whole number.");
}
