using CellPainting.Engine.Locking;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Locking;

public sealed class RunLockTests
{
    private TempDirectory temp = null!;
    private string path = null!;

    [SetUp]
    public void CreateTempDirectory()
    {
        temp = new TempDirectory();
        path = temp.PathOf("state", "run.lock");
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void A_second_build_is_refused_at_once_and_told_who_holds_the_lock()
    {
        using RunLock held = RunLock.Acquire(path, "cake --target=Build on workstation-7", TimeSpan.Zero);

        var thrown = Assert.Throws<RunLockedException>(() => RunLock.Acquire(path, "a second build", TimeSpan.Zero));

        Assert.That(thrown!.Message, Does.Contain($"pid {Environment.ProcessId}: cake --target=Build on workstation-7"));
        Assert.That(thrown.Message, Does.Contain(path));
        Assert.That(thrown.InnerException, Is.InstanceOf<IOException>());
    }

    [Test]
    public void After_Dispose_the_lock_can_be_taken_again_and_the_owner_note_is_gone()
    {
        RunLock first = RunLock.Acquire(path, "first", TimeSpan.Zero);
        Assume.That(File.Exists(path + ".owner"), Is.True);
        first.Dispose();

        Assert.That(File.Exists(path + ".owner"), Is.False);
        using RunLock second = RunLock.Acquire(path, "second", TimeSpan.Zero);
        Assert.That(File.ReadAllText(path + ".owner"), Is.EqualTo($"pid {Environment.ProcessId}: second\n"));
    }

    [Test]
    public void A_build_that_waits_gets_the_lock_when_the_holder_finishes()
    {
        RunLock held = RunLock.Acquire(path, "holder", TimeSpan.Zero);
        Task release = Task.Run(() =>
        {
            Thread.Sleep(300);
            held.Dispose();
        });

        using RunLock waited = RunLock.Acquire(path, "waiter", TimeSpan.FromSeconds(10));

        release.Wait();
        Assert.That(File.ReadAllText(path + ".owner"), Is.EqualTo($"pid {Environment.ProcessId}: waiter\n"));
    }

    [Test]
    public void A_build_that_waits_is_told_once_who_holds_the_lock_and_what_it_guards()
    {
        RunLock held = RunLock.Acquire(path, "holder", TimeSpan.Zero);
        Task release = Task.Run(() =>
        {
            Thread.Sleep(500);
            held.Dispose();
        });
        var told = new List<string>();

        using RunLock waited = RunLock.Acquire(path, "waiter", TimeSpan.FromSeconds(30), "the outputs 'plate-A' in /out", told.Add);

        release.Wait();
        Assert.That(told, Is.EqualTo(new[] { $"waiting up to 30 s for the build on the outputs 'plate-A' in /out (pid {Environment.ProcessId}: holder) to finish; its lock is {path}" }));
    }

    [Test]
    public void A_refusal_names_what_the_lock_guards()
    {
        using RunLock held = RunLock.Acquire(path, "holder", TimeSpan.Zero);

        var thrown = Assert.Throws<RunLockedException>(() => RunLock.Acquire(path, "second", TimeSpan.Zero, "the outputs 'plate-A' in /out"));

        Assert.That(thrown!.Message, Does.StartWith($"Another build is running on the outputs 'plate-A' in /out (pid {Environment.ProcessId}: holder); its lock is {path}."));
    }

    [Test]
    public void A_build_that_waits_too_short_is_refused()
    {
        using RunLock held = RunLock.Acquire(path, "holder", TimeSpan.Zero);

        Assert.Throws<RunLockedException>(() => RunLock.Acquire(path, "waiter", TimeSpan.FromMilliseconds(300)));
    }

    [Test]
    public void The_lock_folder_is_created_when_missing()
    {
        using RunLock held = RunLock.Acquire(temp.PathOf("a", "b", "run.lock"), "holder", TimeSpan.Zero);

        Assert.That(File.Exists(temp.PathOf("a", "b", "run.lock")), Is.True);
    }
}
