using System.Text.Json;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Sharding;

namespace CellPainting.Build.Tests;

public sealed class ShardPlannerTests
{
    private SampleRoot sample = null!;

    [SetUp]
    public void CreateSample() => sample = new SampleRoot();

    [TearDown]
    public void DeleteSample() => sample.Dispose();

    private BuildOptions Options() => new(sample.Root, "sample.yml", Explain: false, TimeSpan.Zero);

    [Test]
    public void The_plan_prints_a_table_and_writes_the_matrix_a_shard_reads_back()
    {
        var output = new StringWriter();

        ShardPartition partition = ShardPlanner.Plan(Options(), 2, "plan/matrix.json", output);

        Assert.That(output.ToString(), Is.EqualTo(
            "shard plan: 2 plates, 3 sites, 2 shards\n"
            + "  sites of 2 plate(s) from images\n"
            + "shard  plates  sites  cost  plate list\n"
            + "1/2         1      2  1.33  BR00117000\n"
            + "2/2         1      1  0.67  BR00116991\n"
            + "balance: max 2 / mean 1.5 sites per shard = 1.333; min 1\n"
            + "matrix: written to plan/matrix.json\n"));
        string json = File.ReadAllText(sample.PathOf("plan", "matrix.json"));
        Assert.That(json, Is.EqualTo(
            """{"include":[{"shard":"1/2","name":"shard-1-of-2","plates":"BR00117000","sites":2,"cost":"1.33","slices":[{"group":"BR00117000","start":0,"end":2,"of":2}]},"""
            + """{"shard":"2/2","name":"shard-2-of-2","plates":"BR00116991","sites":1,"cost":"0.67","slices":[{"group":"BR00116991","start":0,"end":1,"of":1}]}]}""" + "\n"));
        ShardPartition read = ShardPlanFile.Read(sample.PathOf("plan", "matrix.json"), 2);
        Assert.That(Enumerable.Range(1, 2).Select(read.SlicesOf), Is.EqualTo(Enumerable.Range(1, 2).Select(partition.SlicesOf)));
    }

    [Test]
    public void Plates_without_images_are_estimated_and_the_table_says_from_what()
    {
        Directory.Delete(sample.PathOf("data", "raw", "2020_11_04_CPJUMP1", SampleRoot.FirstPlate), recursive: true);
        var output = new StringWriter();

        ShardPlanner.Plan(Options(), 3, null, output);

        string text = output.ToString();
        Assert.That(text, Does.StartWith("shard plan: 2 plates, 4 sites, 3 shards\n  sites of 1 plate(s) from images\n  sites of 1 plate(s) from sample: 2 wells × 1 sites\n"));
        // Fewer plates than shards: the 4 sites in (plate, site) order are cut into runs of 1, 1 and 2.
        Assert.That(text, Does.Contain("1/3         1      1  0.75  BR00116991[0..1)\n2/3         1      1  0.75  BR00116991[1..2)\n3/3         1      2  1.50  BR00117000\n"));
        string matrix = text.Split("matrix: ")[1];
        Assert.That(JsonDocument.Parse(matrix).RootElement.GetProperty("include").EnumerateArray().Select(entry => entry.GetProperty("shard").GetString()), Is.EqualTo(new[] { "1/3", "2/3", "3/3" }));
    }

    [Test]
    public void A_shard_count_below_one_is_an_error()
    {
        Assert.That(Assert.Throws<ShardSpecException>(() => ShardPlanner.Plan(Options(), 0, null, TextWriter.Null))!.Message, Does.Contain("--shards: expected a whole number of at least 1, found 0"));
    }
}
