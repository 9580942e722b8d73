using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Planning;

public sealed class DirtyCheckTests
{
    private static readonly HashedName[] Inputs =
    [
        new("left", ContentHash.OfText("left")),
        new("right", ContentHash.OfText("right")),
    ];

    private TempDirectory temp = null!;
    private CopyStage stage = null!;
    private WorkItem item = null!;
    private string outputPath = null!;

    [SetUp]
    public void CreateItem()
    {
        temp = new TempDirectory();
        outputPath = temp.Write("out/site-01.txt", "output");
        item = new WorkItem("site-01", "plate-A", [new ItemInput("left", "unused"), new ItemInput("right", "unused")], [new ItemOutput("out", outputPath)]);
        stage = new CopyStage([item]) { RecipeVersion = 2, Parameters = new StageParameters([KeyValuePair.Create("sigma", "1")]) };
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private string CurrentFingerprint => Fingerprint.Of(stage, Inputs);

    private BuildRecord Previous() => new(
        item.Id,
        item.Group,
        CurrentFingerprint,
        stage.RecipeVersion,
        stage.Parameters.Digest,
        Inputs,
        [new HashedName("out", ContentHash.OfText("output"))]);

    private Staleness Decide(BuildRecord? previous, bool interrupted = false, StatCache? cache = null) =>
        new DirtyCheck(stage, cache ?? StatCache.InMemory()).Decide(item, previous, interrupted, CurrentFingerprint, Inputs);

    [Test]
    public void An_item_whose_record_and_outputs_match_is_up_to_date()
    {
        Assert.That(Decide(Previous()), Is.EqualTo(Staleness.UpToDate));
    }

    [Test]
    public void An_item_never_built_is_new()
    {
        Assert.That(Decide(previous: null), Is.EqualTo(new Staleness(StaleReason.New, string.Empty)));
    }

    [Test]
    public void An_interrupted_item_is_rebuilt_even_when_everything_else_matches()
    {
        Assert.That(Decide(Previous(), interrupted: true), Is.EqualTo(new Staleness(StaleReason.PreviousRunIncomplete, "started but not finished")));
    }

    [Test]
    public void An_interrupted_item_never_built_before_says_previous_run_incomplete_rather_than_new()
    {
        Assert.That(Decide(previous: null, interrupted: true).Reason, Is.EqualTo(StaleReason.PreviousRunIncomplete));
    }

    [Test]
    public void A_record_from_another_recipe_says_which_recipes()
    {
        BuildRecord old = Previous() with { RecipeVersion = 1, ParametersDigest = "something else" };

        Assert.That(Decide(old), Is.EqualTo(new Staleness(StaleReason.RecipeChanged, "recipe 1 -> 2")));
    }

    [Test]
    public void A_record_with_other_parameters_is_params_changed_before_input_changed()
    {
        BuildRecord old = Previous() with { ParametersDigest = ContentHash.OfText("sigma=2\n"), Fingerprint = ContentHash.OfText("old") };

        Assert.That(Decide(old), Is.EqualTo(new Staleness(StaleReason.ParamsChanged, string.Empty)));
    }

    [Test]
    public void Parameters_that_changed_are_named_when_the_previous_values_are_known()
    {
        BuildRecord old = Previous() with { ParametersDigest = ContentHash.OfText("older") };
        var previous = new Dictionary<string, string> { ["sigma"] = "2", ["mode"] = "fast" };

        Staleness staleness = new DirtyCheck(stage, StatCache.InMemory(), digest => digest == old.ParametersDigest ? previous : null)
            .Decide(item, old, interrupted: false, CurrentFingerprint, Inputs);

        Assert.That(staleness, Is.EqualTo(new Staleness(StaleReason.ParamsChanged, "mode removed, sigma modified")));
    }

    [Test]
    public void A_changed_input_is_named_in_the_detail()
    {
        BuildRecord old = Previous() with
        {
            Fingerprint = ContentHash.OfText("old"),
            Inputs = [Inputs[0], new HashedName("right", ContentHash.OfText("old right"))],
        };

        Assert.That(Decide(old), Is.EqualTo(new Staleness(StaleReason.InputChanged, "right modified")));
    }

    [Test]
    public void Added_and_removed_inputs_are_named_in_sorted_order()
    {
        BuildRecord old = Previous() with
        {
            Fingerprint = ContentHash.OfText("old"),
            Inputs = [new HashedName("right", ContentHash.OfText("old right")), new HashedName("gone", ContentHash.OfText("gone"))],
        };

        Assert.That(Decide(old).Detail, Is.EqualTo("gone removed, left added, right modified"));
    }

    [Test]
    public void A_deleted_output_is_missing_and_named_by_path()
    {
        File.Delete(outputPath);

        Assert.That(Decide(Previous()), Is.EqualTo(new Staleness(StaleReason.OutputMissing, outputPath)));
    }

    [Test]
    public void An_output_the_record_does_not_know_is_missing()
    {
        BuildRecord old = Previous() with { Outputs = [] };

        Assert.That(Decide(old), Is.EqualTo(new Staleness(StaleReason.OutputMissing, "out was never recorded")));
    }

    [Test]
    public void An_output_with_other_content_is_modified()
    {
        File.WriteAllText(outputPath, "tampered with");

        Assert.That(Decide(Previous()), Is.EqualTo(new Staleness(StaleReason.OutputModified, outputPath)));
    }

    [Test]
    public void An_output_whose_stamp_is_cached_is_not_read()
    {
        // The cache vouches for the recorded hash at the file's current stamp, so its content is never looked at.
        var cache = StatCache.InMemory();
        File.WriteAllText(outputPath, "not what was recorded");
        cache.Record(outputPath, FileStatReader.TryRead(outputPath)!.Value, ContentHash.OfText("output"));

        Assert.That(Decide(Previous(), cache: cache), Is.EqualTo(Staleness.UpToDate));
    }

    [Test]
    public void An_output_read_because_its_stamp_is_unknown_is_remembered_in_the_cache()
    {
        var cache = StatCache.InMemory();

        Decide(Previous(), cache: cache);

        Assert.That(cache.TryGetHash(outputPath, FileStatReader.TryRead(outputPath)!.Value, out string hash), Is.True);
        Assert.That(hash, Is.EqualTo(ContentHash.OfText("output")));
    }
}
