using CellPainting.Engine.Locking;
using CellPainting.Engine.Sharding;
using CellPainting.Stages.Configuration;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

public sealed class SessionLocksTests
{
    private TempDirectory temp = null!;
    private BuildConfig config = null!;

    [SetUp]
    public void WriteConfig()
    {
        temp = new TempDirectory();
        config = ConfigLoader.Parse(
            """
            cpjump:
              batch: "2020_11_04_CPJUMP1"
              plates: ["BR1__2020-11-05T19_51_35-Measurement1", "BR2__2020-11-05T19_51_35-Measurement1"]
              local: { tensors: "out/tensors", features: "out/features" }
            """,
            "locks.yml",
            temp.Root);
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private BuildOptions Options(bool explain = false) => new(temp.Root, "locks.yml", explain, TimeSpan.Zero);

    private SessionLocks Take(string state, BuildOptions? options = null) =>
        SessionLocks.Take(config, temp.PathOf(state), options ?? Options(), TextWriter.Null);

    [Test]
    public void A_second_session_on_the_same_state_is_refused()
    {
        using SessionLocks first = Take("state");

        Assert.Throws<RunLockedException>(() => Take("state"));
    }

    [Test]
    public void A_session_with_its_own_state_is_refused_the_plates_another_holds_in_the_same_output_folders()
    {
        using (Take("state"))
        {
            var error = Assert.Throws<RunLockedException>(() => Take("other-state"));

            Assert.That(error!.Message, Does.Contain("the outputs 'BR1'"));
            Assert.That(File.Exists(RunLock.OutputLockPath(temp.PathOf("out", "features"), "BR2")), Is.True);
        }

        Assert.DoesNotThrow(() => Take("other-state").Dispose(), "both the state's lock and the plates' were released");
    }

    [Test]
    public void An_explain_takes_no_lock_among_the_outputs()
    {
        using SessionLocks locks = Take("state", Options(explain: true));
        locks.TakeOutputs([(temp.PathOf("out", "splits"), "splits")]);

        Assert.That(Directory.Exists(temp.PathOf("out")), Is.False);
    }

    [Test]
    public void A_shard_takes_no_plate_lock_and_shards_of_one_run_hold_their_own_states()
    {
        using SessionLocks one = Take(Path.Combine("state", "shard-1"), Options() with { Shard = new Shard(1, 2) });

        Assert.DoesNotThrow(() => Take(Path.Combine("state", "shard-2"), Options() with { Shard = new Shard(2, 2) }).Dispose());
        Assert.That(Directory.Exists(temp.PathOf("out")), Is.False);
    }

    [Test]
    public void A_part_taken_again_in_the_session_is_held_once_and_released_at_its_end()
    {
        (string, string)[] splits = [(temp.PathOf("out", "splits"), "splits")];
        using (SessionLocks locks = Take("state"))
        {
            locks.TakeOutputs(splits);

            Assert.DoesNotThrow(() => locks.TakeOutputs(splits));
        }

        using SessionLocks other = Take("other-state");
        Assert.DoesNotThrow(() => other.TakeOutputs(splits));
    }
}
