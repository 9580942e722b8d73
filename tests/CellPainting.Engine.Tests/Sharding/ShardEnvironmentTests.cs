using CellPainting.Engine.Sharding;

namespace CellPainting.Engine.Tests.Sharding;

public sealed class ShardEnvironmentTests
{
    private static Shard Detect(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(pair => pair.Name, pair => pair.Value);
        return ShardEnvironment.Resolve("auto", name => map.GetValueOrDefault(name));
    }

    private static string Failure(params (string Name, string Value)[] variables) =>
        Assert.Throws<ShardSpecException>(() => Detect(variables))!.Message;

    [Test]
    public void A_slurm_task_is_its_place_in_the_array_from_the_count()
    {
        Assert.That(Detect(("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "4")), Is.EqualTo(new Shard(1, 4)));
        Assert.That(Detect(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "4")), Is.EqualTo(new Shard(4, 4)));
    }

    [Test]
    public void A_slurm_task_is_its_place_in_the_array_from_min_max_and_step()
    {
        Assert.That(Detect(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_MAX", "4")), Is.EqualTo(new Shard(3, 4)));
        Assert.That(Detect(("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_MAX", "7"), ("SLURM_ARRAY_TASK_STEP", "2")), Is.EqualTo(new Shard(3, 4)));
    }

    [Test]
    public void A_slurm_task_without_the_arrays_size_is_an_error_naming_the_variables()
    {
        Assert.That(Failure(("SLURM_ARRAY_TASK_ID", "2")), Does.Contain("SLURM_ARRAY_TASK_ID is 2 but the array's size is unknown").And.Contain("SLURM_ARRAY_TASK_COUNT").And.Contain("SLURM_ARRAY_TASK_MAX"));
        Assert.That(Failure(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_MIN", "0")), Does.Contain("the array's size is unknown"));
    }

    [Test]
    public void Aws_batch_and_kubernetes_indexes_are_zero_based_with_a_count_the_job_sets()
    {
        Assert.That(Detect(("AWS_BATCH_JOB_ARRAY_INDEX", "0"), ("AWS_BATCH_JOB_ARRAY_SIZE", "8")), Is.EqualTo(new Shard(1, 8)));
        Assert.That(Detect(("JOB_COMPLETION_INDEX", "7"), ("JOB_COMPLETIONS", "8")), Is.EqualTo(new Shard(8, 8)));
        Assert.That(Failure(("AWS_BATCH_JOB_ARRAY_INDEX", "1")), Does.Contain("AWS_BATCH_JOB_ARRAY_SIZE (the number of copies) is not set"));
        Assert.That(Failure(("JOB_COMPLETION_INDEX", "1")), Does.Contain("JOB_COMPLETIONS (the number of copies) is not set"));
    }

    [Test]
    public void An_index_beyond_the_count_or_not_a_number_is_an_error()
    {
        Assert.That(Failure(("JOB_COMPLETION_INDEX", "4"), ("JOB_COMPLETIONS", "4")), Does.Contain("JOB_COMPLETION_INDEX 4 makes shard 5, but there are only 4"));
        Assert.That(Failure(("SLURM_ARRAY_TASK_ID", "x"), ("SLURM_ARRAY_TASK_COUNT", "4")), Does.Contain("SLURM_ARRAY_TASK_ID is 'x', not a non-negative whole number"));
        Assert.That(Failure(("AWS_BATCH_JOB_ARRAY_INDEX", "0"), ("AWS_BATCH_JOB_ARRAY_SIZE", "0")), Does.Contain("AWS_BATCH_JOB_ARRAY_SIZE is '0', not a positive whole number"));
    }

    [Test]
    public void No_engine_variable_is_an_error_saying_which_were_looked_for()
    {
        Assert.That(Failure(), Does.Contain("SLURM_ARRAY_TASK_ID").And.Contain("AWS_BATCH_JOB_ARRAY_INDEX").And.Contain("JOB_COMPLETION_INDEX").And.Contain("--shard=K/N"));
    }

    [Test]
    public void An_explicit_shard_ignores_the_environment()
    {
        Assert.That(ShardEnvironment.Resolve("1/2", _ => "9"), Is.EqualTo(new Shard(1, 2)));
    }
}
